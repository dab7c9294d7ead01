export default async function globalTeardown() {
  await globalThis.__moto?.stop()
}
