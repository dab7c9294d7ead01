/**
 * The rules the rollout watch applies to what the API server returns, on objects written here:
 * which nodes must run the agent, how a pod is doing, and the update budget. The real control plane
 * tests (integration/eks-rollout.test.ts) show them on live objects; these cover the cases a small
 * cluster does not have.
 */
import { describe, expect, it } from '@jest/globals'
import type { V1Node, V1Pod, V1PodSpec } from '@kubernetes/client-node'
import { targetNodes } from '../../../src/eks/rollout/eligible-nodes.js'
import { podState } from '../../../src/eks/rollout/pod-state.js'
import {
  updateBudget,
  userSetBudget,
  withBudget,
  withoutChosenBudget
} from '../../../src/eks/rollout/update-budget.js'

function node(
  name: string,
  options: {
    labels?: Record<string, string>
    ready?: 'True' | 'False' | 'Unknown'
    unschedulable?: boolean
    taints?: { key: string; value?: string; effect: string }[]
  } = {}
): V1Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/os': 'linux', ...options.labels } },
    spec: { unschedulable: options.unschedulable, taints: options.taints },
    status: {
      conditions: [{ type: 'Ready', status: options.ready ?? 'True', reason: 'KubeletReady' }]
    }
  }
}

const chartPlacement: V1PodSpec = {
  containers: [],
  tolerations: [{ operator: 'Exists' }],
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
              {
                key: 'eks.amazonaws.com/compute-type',
                operator: 'NotIn',
                values: ['fargate', 'hybrid']
              }
            ]
          }
        ]
      }
    }
  }
}

describe('targetNodes', () => {
  it('sorts nodes into eligible, unable to run the agent now, and outside its placement', () => {
    const targets = targetNodes(
      [
        node('ok'),
        node('sick', { ready: 'Unknown' }),
        node('cordoned', { unschedulable: true }),
        node('gpu', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }),
        node('fargate', { labels: { 'eks.amazonaws.com/compute-type': 'fargate' } }),
        node('windows', { labels: { 'kubernetes.io/os': 'windows' } })
      ],
      chartPlacement
    )
    // The chart tolerates every taint: the tainted node must run the agent.
    expect(targets.eligible).toEqual(['ok', 'gpu'])
    expect(targets.unfit).toEqual([
      { name: 'sick', reason: 'NotReady: KubeletReady' },
      { name: 'cordoned', reason: 'cordoned (unschedulable)' }
    ])
    expect(targets.outside.map(skipped => skipped.name)).toEqual(['fargate', 'windows'])
    expect(targets.outside[1].reason).toBe(
      'affinity kubernetes.io/os In linux (node has kubernetes.io/os=windows)'
    )
  })

  it('counts a taint the pod does not tolerate, and ignores PreferNoSchedule', () => {
    const pod: V1PodSpec = {
      containers: [],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }]
    }
    const targets = targetNodes(
      [
        node('tolerated', {
          taints: [{ key: 'dedicated', value: 'agents', effect: 'NoSchedule' }]
        }),
        node('other-value', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
        node('soft', { taints: [{ key: 'busy', effect: 'PreferNoSchedule' }] }),
        node('evicting', { taints: [{ key: 'busy', effect: 'NoExecute' }] })
      ],
      pod
    )
    expect(targets.eligible).toEqual(['tolerated', 'soft'])
    expect(targets.unfit).toEqual([
      { name: 'other-value', reason: 'taint dedicated=db:NoSchedule not tolerated' },
      { name: 'evicting', reason: 'taint busy:NoExecute not tolerated' }
    ])
  })

  it('matches node selectors, every operator, and terms ORed together', () => {
    const pod: V1PodSpec = {
      containers: [],
      nodeSelector: { pool: 'general' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] },
              {
                matchExpressions: [
                  { key: 'spot', operator: 'DoesNotExist' },
                  { key: 'zone', operator: 'Exists' }
                ]
              },
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['named'] }] }
            ]
          }
        }
      }
    }
    const targets = targetNodes(
      [
        node('big', { labels: { pool: 'general', cores: '16' } }),
        node('zoned', { labels: { pool: 'general', cores: '4', zone: 'a' } }),
        node('named', { labels: { pool: 'general', spot: 'true' } }),
        node('spot', { labels: { pool: 'general', spot: 'true', zone: 'a' } }),
        node('other-pool', { labels: { pool: 'batch', cores: '16' } })
      ],
      pod
    )
    expect(targets.eligible).toEqual(['big', 'zoned', 'named'])
    expect(targets.outside).toEqual([
      { name: 'spot', reason: 'affinity cores Gt 8 (node has no cores)' },
      { name: 'other-pool', reason: 'node selector pool=general (node has pool=batch)' }
    ])
  })
})

describe('podState', () => {
  const now = Date.parse('2026-12-04T12:00:00Z')
  const created = (secondsAgo: number) => new Date(now - secondsAgo * 1000)
  const pod = (status: V1Pod['status'], secondsAgo = 5): V1Pod => ({
    metadata: { name: 'agent-x', creationTimestamp: created(secondsAgo) },
    status
  })

  it('is ready once the Ready condition is', () => {
    const ready = pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] })
    expect(podState(ready, now, 120_000)).toEqual({ kind: 'ready' })
  })

  it('fails a crash loop with the restarts and the last exit code', () => {
    const crashing = pod({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'agent',
          image: 'agent:1',
          imageID: '',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s\nrestarting' } },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } }
        }
      ]
    })
    expect(podState(crashing, now, 120_000)).toEqual({
      kind: 'failing',
      reason:
        'container agent CrashLoopBackOff: back-off 40s restarting (4 restarts, last exit code 137)'
    })
  })

  it('fails an init container that cannot pull its image', () => {
    const stuck = pod({
      phase: 'Pending',
      initContainerStatuses: [
        {
          name: 'setup',
          image: 'setup:1',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ImagePullBackOff' } }
        }
      ]
    })
    expect(podState(stuck, now, 120_000)).toEqual({
      kind: 'failing',
      reason: 'container setup ImagePullBackOff (0 restarts)'
    })
  })

  it('lets a pending pod start until the bound, then names why it is pending', () => {
    const unschedulable = (secondsAgo: number) =>
      pod(
        {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available: 3 Insufficient memory.'
            }
          ]
        },
        secondsAgo
      )
    expect(podState(unschedulable(60), now, 120_000)).toEqual({ kind: 'starting' })
    expect(podState(unschedulable(121), now, 120_000)).toEqual({
      kind: 'failing',
      reason: 'pending for 121s, unschedulable: 0/3 nodes are available: 3 Insufficient memory.'
    })
  })
})

describe('the update budget', () => {
  it('is the chart default with no sick node, and grows by the sick ones', () => {
    const healthy = Array.from({ length: 30 }, (_, i) => node(`n${i}`))
    expect(updateBudget(healthy)).toBeUndefined()
    const sick = [node('down', { ready: 'False' }), node('drained', { unschedulable: true })]
    // 2 sick nodes, plus 10% of the 30 healthy ones.
    expect(updateBudget([...healthy, ...sick])).toBe(5)
    // A small cluster still gets one healthy node at a time beside its sick one.
    expect(updateBudget([node('a'), node('b'), node('down', { ready: 'False' })])).toBe(2)
  })

  it('never overrides the user, and is no difference worth an upgrade', () => {
    const ours = { image: 'agent:1' }
    expect(userSetBudget({ updateStrategy: { maxUnavailable: '50%' } })).toBe(true)
    expect(userSetBudget({ updateStrategy: { maxSurge: 1 } })).toBe(false)
    const deployed = {
      revision: 3,
      status: 'deployed',
      chart: 'cloudaeye-metrics-agent-1.0.0',
      values: withBudget(ours, 4)
    }
    expect(withoutChosenBudget(deployed, ours)?.values).toEqual(ours)
    // The user's own budget is compared like any value.
    const theirs = { ...ours, updateStrategy: { maxUnavailable: 4 } }
    expect(withoutChosenBudget(deployed, theirs)).toBe(deployed)
  })
})
