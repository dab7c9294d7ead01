/** The first line of a refused AWS call names the permission AWS checked, where, and what to change. */
import { describe, expect, it } from '@jest/globals'
import { describeAwsError, PERMISSIONS_DOC } from '../../src/aws/errors.js'

function refusal(call: string, message: string) {
  return Object.assign(new Error(message), {
    name: 'AccessDeniedException',
    iamAction: call,
    $metadata: { httpStatusCode: 400 }
  })
}

describe('describeAwsError on a refused call', () => {
  it('names the role RunTask could not pass, and the naming rule of the shipped policy', () => {
    const line = describeAwsError(
      refusal(
        'ecs:RunTask',
        'User: arn:aws:sts::123456789012:assumed-role/deploy/gha is not authorized to perform: ' +
          'iam:PassRole on resource: arn:aws:iam::123456789012:role/agent-task because no ' +
          'identity-based policy allows the iam:PassRole action'
      ),
      'agent task in cluster prod'
    )
    expect(line).toMatch(
      /^AWS refused ecs:RunTask \(agent task in cluster prod\): the workflow's credentials lack the IAM permission 'iam:PassRole' on arn:aws:iam::123456789012:role\/agent-task\. The shipped ecs\.json passes only roles named CloudAEye\*/
    )
    expect(line).toContain(PERMISSIONS_DOC)
  })

  it('says which tasks the shipped policy may stop', () => {
    const line = describeAwsError(
      refusal(
        'ecs:StopTask',
        'User: arn:aws:iam::123456789012:user/deploy is not authorized to perform: ecs:StopTask ' +
          'on resource: arn:aws:ecs:us-east-1:123456789012:task/prod/abc'
      )
    )
    expect(line).toContain(
      "IAM permission 'ecs:StopTask' on arn:aws:ecs:us-east-1:123456789012:task/prod/abc"
    )
    expect(line).toContain('tagged cloudaeye:managed-by=metrics-agent-action')
  })

  it('points a refused RunTask or RegisterTaskDefinition at the family the policy names', () => {
    for (const call of ['ecs:RunTask', 'ecs:RegisterTaskDefinition']) {
      const line = describeAwsError(refusal(call, `not authorized to perform: ${call}`))
      expect(line).toContain('names the family cloudaeye-metrics-agent: with another agent-name')
    }
  })

  it("falls back to the call's own action when AWS does not name one", () => {
    const line = describeAwsError(refusal('iam:GetUser', 'Access denied'))
    expect(line).toMatch(
      /^AWS refused iam:GetUser: the workflow's credentials lack the IAM permission 'iam:GetUser'\. Grant it/
    )
  })
})
