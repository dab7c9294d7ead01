/**
 * Plan mode's check that the release would be accepted: helm renders it as the deploy's upgrade
 * would (`--dry-run=server`: the cluster's capabilities and lookups, nothing applied), and the API
 * server validates every rendered object by a server-side dry-run apply, so a schema or admission
 * error shows in the plan, not at deploy. Nothing is persisted.
 */
import { ActionError } from '../../errors.js'
import type { ChartSource } from '../helm/chart-source.js'
import type { HelmRunner } from '../helm/helm-runner.js'
import { upgradeArgs } from '../helm/release.js'
import { explainKubeFailure } from '../rollout/kube-api.js'

/** The namespace every cluster has, for objects whose own namespace is still to be created. */
const STAND_IN_NAMESPACE = 'default'
const FIELD_MANAGER = 'metrics-agent-action-plan'

interface ManifestObject {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string }
  roleRef?: { kind?: string; name?: string }
}

export interface ValidatedManifest {
  accepted: number
  /**
   * Bindings to a role the same release creates: the API server checks a binding against its
   * role, which a dry run never creates, so these are checked by the deploy itself.
   */
  deferred: string[]
}

export async function renderRelease(
  helm: HelmRunner,
  options: { name: string; namespace: string; chart: ChartSource; valuesFiles: string[] }
): Promise<string> {
  const { stdout } = await helm.run(
    [...upgradeArgs(options), '--dry-run=server', '--output', 'json'],
    `render release ${options.name} in namespace ${options.namespace}`
  )
  // Parsed here, never printed: the manifest holds the agent's Secret.
  const manifest = (JSON.parse(stdout) as { manifest?: string }).manifest
  if (manifest === undefined) {
    throw new ActionError(`helm rendered release ${options.name} without a manifest.`)
  }
  return manifest
}

/**
 * Dry-runs every object of `manifest`. The namespace, when it does not exist yet, is dry-run
 * too; since the API server refuses even a dry run into a namespace that does not exist, that
 * namespace's objects are validated in `default`, which every cluster has.
 */
export async function validateManifest(
  kubeconfigPath: string,
  refusedAdvice: string,
  manifest: string,
  namespace: { name: string; exists: boolean }
): Promise<ValidatedManifest> {
  const { KubeConfig, KubernetesObjectApi, loadAllYaml, PatchStrategy } =
    await import('@kubernetes/client-node')
  const kubeconfig = new KubeConfig()
  kubeconfig.loadFromFile(kubeconfigPath)
  // Whether a kind is namespaced is the cluster's to say: the rendered objects leave their
  // namespace to helm's --namespace.
  class ObjectApi extends KubernetesObjectApi {
    async namespaced(object: ManifestObject): Promise<boolean> {
      return (await this.resource(object.apiVersion, object.kind))?.namespaced ?? true
    }
  }
  const api = kubeconfig.makeApiClient(ObjectApi)
  const objects = (loadAllYaml(manifest) as (ManifestObject | null)[]).filter(
    (object): object is ManifestObject => !!object?.kind
  )
  const rendered = new Set(objects.map(object => `${object.kind}/${object.metadata.name}`))
  const deferred: string[] = []
  const apply = async (object: ManifestObject) => {
    const what = `validate ${object.kind} ${object.metadata.name} (server dry run)`
    try {
      await api.patch(object, undefined, 'All', FIELD_MANAGER, true, PatchStrategy.ServerSideApply)
    } catch (error) {
      const role = object.roleRef && `${object.roleRef.kind}/${object.roleRef.name}`
      if ((error as { code?: unknown }).code === 404 && role && rendered.has(role)) {
        deferred.push(`${object.kind} ${object.metadata.name}`)
        return
      }
      throw explainKubeFailure(error, what, refusedAdvice)
    }
  }
  if (!namespace.exists) {
    await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace.name } })
  }
  for (const object of objects) {
    const inNamespace = await api.namespaced(object).catch(error => {
      throw explainKubeFailure(error, `look up kind ${object.kind}`, refusedAdvice)
    })
    const target = namespace.exists || !inNamespace ? namespace.name : STAND_IN_NAMESPACE
    await apply(
      inNamespace ? { ...object, metadata: { ...object.metadata, namespace: target } } : object
    )
  }
  return { accepted: objects.length - deferred.length, deferred }
}
