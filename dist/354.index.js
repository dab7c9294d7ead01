export const id = 354;
export const ids = [354];
export const modules = {

/***/ 80354:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runEcs: () => (/* binding */ runEcs)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var dist_cjs = __webpack_require__(16764);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(71695);
// EXTERNAL MODULE: ./src/aws/clients.ts + 1 modules
var aws_clients = __webpack_require__(96076);
// EXTERNAL MODULE: ./src/aws/console-links.ts
var console_links = __webpack_require__(20904);
// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(99378);
// EXTERNAL MODULE: ./src/cloud-services/agent-identity.ts + 1 modules
var agent_identity = __webpack_require__(53083);
// EXTERNAL MODULE: ./src/cloud-services/trust-policies.ts
var trust_policies = __webpack_require__(60017);
;// CONCATENATED MODULE: ./src/cloud-services/ecs-task-role.ts
/**
 * Cloud services on ECS: the agent's task role, read CloudWatch and capped by the same boundary as
 * every identity the action makes. Only when the user gave no task-role-arn; theirs wins, and is
 * never touched. Observed, planned and applied like the rest of the ECS path.
 */







/** The role the action provides: with cloud services, and no task-role-arn of the user's. */
const providesTaskRole = (config) => config.enableCloudServices && !config.taskRoleArn;
const roleName = (config) => (0,agent_identity/* agentIdentityName */.b6)(config.agentName, config.clusterName, config.region, 'ecs');
async function withIam(config, { callLog, signal }, use) {
    const settings = (0,aws_clients.clientConfig)(config.region, signal);
    const iam = (0,aws_clients.instrument)(new dist_cjs/* IAMClient */.h8v(settings), 'iam', callLog);
    const sts = (0,aws_clients.instrument)(new client_sts_dist_cjs/* STSClient */.iM(settings), 'sts', callLog);
    try {
        return await use(iam, sts);
    }
    finally {
        iam.destroy();
        sts.destroy();
    }
}
/** Who runs the workflow (the trust names the account) and the role, if it exists. */
function observeEcsTaskRole(config, deps) {
    return withIam(config, deps, async (iam, sts) => {
        const name = roleName(config);
        const [caller, observed] = await Promise.all([
            sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({})).catch(error => {
                throw (0,errors/* explainAwsFailure */.vt)(error, 'the workflow identity');
            }),
            (0,agent_identity/* findAgentIdentity */.BC)(iam, agent_identity/* AGENT_ROLE */.vm, name)
        ]);
        return {
            name,
            accountId: caller.Account ?? '',
            partition: caller.Arn?.split(':')[1] ?? 'aws',
            observed
        };
    });
}
/** Refuses, before anything changes, a role of that name the action did not make. */
function planEcsTaskRole(config, { name, accountId, partition, observed }) {
    const spec = {
        name,
        trust: (0,trust_policies/* ecsTaskTrust */.Hg)(accountId, partition, config.region),
        tags: config.tags,
        partition
    };
    return {
        spec,
        observed,
        identity: (0,agent_identity/* planAgentIdentity */.ZK)(agent_identity/* AGENT_ROLE */.vm, observed, spec),
        arn: observed?.arn ?? `arn:${partition}:iam::${accountId}:role/${name}`
    };
}
/** The ARN of the task role the agent's task definition names. */
function applyEcsTaskRole(config, report, deps, plan) {
    return withIam(config, deps, async (iam) => {
        const role = await (0,agent_identity/* applyAgentIdentity */.O5)(iam, agent_identity/* AGENT_ROLE */.vm, plan.spec, plan.observed, plan.identity);
        const accountId = plan.arn.split(':')[4];
        (0,agent_identity/* recordAgentIdentity */.tT)(report, config.region, agent_identity/* AGENT_ROLE */.vm, role, `only ECS tasks of ${accountId} in ${config.region} may assume it`);
        return role.arn;
    });
}
/** The action's role of this agent, whatever enable-cloud-services says now. */
function observeEcsTaskRoleRemoval(config, deps) {
    return withIam(config, deps, async (iam) => {
        const name = roleName(config);
        return { name, observed: await (0,agent_identity/* findAgentIdentity */.BC)(iam, agent_identity/* AGENT_ROLE */.vm, name) };
    });
}
function planEcsTaskRoleRemoval({ name, observed }) {
    return (0,agent_identity/* planAgentIdentityRemoval */.rG)(agent_identity/* AGENT_ROLE */.vm, name, observed);
}
function removeEcsTaskRole(config, report, deps, name) {
    return withIam(config, deps, async (iam) => {
        const status = await (0,agent_identity/* removeAgentIdentity */.M9)(iam, agent_identity/* AGENT_ROLE */.vm, name);
        report.record({
            kind: 'IAM role',
            id: name,
            status,
            note: status === 'deleted' ? 'made by the action' : undefined,
            link: status === 'deleted' ? undefined : console_links/* consoleLinks */.t.iamRole(config.region, name)
        });
    });
}

// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var client_ecs_dist_cjs = __webpack_require__(80212);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(29810);
;// CONCATENATED MODULE: ./src/ecs/resources/agent-task.ts
/**
 * The agent's standalone Fargate task: finding the ones that run, starting one, waiting until it
 * runs, and stopping the ones it replaces.
 */





/** Shown in the console as "started by"; ECS allows 36 characters. */
const STARTED_BY = 'cloudaeye-metrics-agent-action';
/** Tasks of the family that ECS means to keep running (or, asked, has stopped), oldest first. */
async function findAgentTasks(ecs, cluster, family, desiredStatus = 'RUNNING') {
    const arns = [];
    let nextToken;
    do {
        const page = await ecs.send(new client_ecs_dist_cjs/* ListTasksCommand */.MYg({ cluster, family, desiredStatus, nextToken }));
        arns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    const tasks = [];
    // DescribeTasks takes at most 100 tasks a call.
    for (let start = 0; start < arns.length; start += 100) {
        tasks.push(...(await describeTasks(ecs, cluster, arns.slice(start, start + 100))));
    }
    return tasks.sort(olderFirst);
}
async function describeTasks(ecs, cluster, taskArns) {
    const answer = await ecs.send(new client_ecs_dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: taskArns }));
    return answer.tasks ?? [];
}
/**
 * The order that decides which agent stays when several run: the oldest, then the lowest ARN.
 * Two racing runs apply the same rule, so they keep the same task.
 */
function olderFirst(a, b) {
    const age = (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0);
    return age !== 0 ? age : (a.taskArn ?? '').localeCompare(b.taskArn ?? '');
}
/**
 * The same token for the same cluster, revision and workflow run attempt, so an SDK retry of
 * RunTask cannot start a second agent; a later run gets a new token, so it can start a fresh task.
 */
function runTaskToken(config, taskDefinitionArn) {
    const runId = process.env.GITHUB_RUN_ID;
    if (!runId)
        return (0,external_node_crypto_.randomUUID)();
    const parts = [config.cluster, taskDefinitionArn, runId, process.env.GITHUB_RUN_ATTEMPT ?? '1'];
    return (0,external_node_crypto_.createHash)('sha256').update(parts.join('\n')).digest('hex').slice(0, 64);
}
async function runAgentTask(ecs, config, taskDefinitionArn, placement) {
    const answer = await ecs.send(new client_ecs_dist_cjs/* RunTaskCommand */._eD({
        cluster: config.cluster,
        taskDefinition: taskDefinitionArn,
        launchType: 'FARGATE',
        count: 1,
        networkConfiguration: {
            awsvpcConfiguration: {
                subnets: placement.subnetIds,
                securityGroups: placement.securityGroupIds,
                assignPublicIp: placement.assignPublicIp
            }
        },
        startedBy: STARTED_BY,
        clientToken: runTaskToken(config, taskDefinitionArn),
        tags: Object.entries(config.tags).map(([key, value]) => ({ key, value })),
        propagateTags: 'TASK_DEFINITION',
        enableECSManagedTags: true
    }));
    // RunTask reports capacity and placement problems in `failures` with HTTP 200.
    const failures = answer.failures ?? [];
    if (failures.length > 0) {
        const reasons = failures
            .map(failure => [failure.arn, failure.reason, failure.detail].filter(Boolean).join(': '))
            .join('; ');
        throw new src_errors/* ActionError */.lZ(`ecs:RunTask could not start the agent in cluster ${config.cluster}: ${reasons}`);
    }
    const task = answer.tasks?.[0];
    if (!task?.taskArn)
        throw new src_errors/* ActionError */.lZ('ecs:RunTask returned no task and no failure.');
    return task;
}
/** Why a task stopped, from the task and each container, in one line. */
function stoppedReasons(task) {
    const reasons = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ');
    const containers = (task.containers ?? [])
        .filter(container => container.reason || container.exitCode !== undefined)
        .map(container => {
        const exit = container.exitCode !== undefined ? `exit code ${container.exitCode}` : '';
        return `container ${container.name}: ${[exit, container.reason].filter(Boolean).join(', ')}`;
    });
    return [reasons || 'no reason given', ...containers].join('; ');
}
/** Shown as a stopped task's reason; also how a run tells that a racing run replaced its task. */
const REPLACED_BY = 'Replaced by ';
/** StopTask refuses a longer reason. */
const MAX_STOP_REASON = 255;
/**
 * The reason a replaced task is stopped with: the replacement's ARN, or, when a long cluster name
 * makes that too long for StopTask, its task ID, which is what the console shows.
 */
function replacedBy(replacementArn) {
    const reason = `${REPLACED_BY}${replacementArn}`;
    return reason.length <= MAX_STOP_REASON
        ? reason
        : `${REPLACED_BY}${replacementArn.split('/').pop()}`;
}
/**
 * Polls until the task runs or stops, and returns it; past the deadline, fails the step with its
 * status. What a stopped task means is for the caller to say.
 */
async function waitUntilSettled(ecs, config, taskArn, clock) {
    const taskId = taskArn.split('/').pop();
    const { value: task, elapsedMs } = await (0,poll/* pollUntil */.g3)({
        clock,
        timeoutMs: config.waitTimeoutMs,
        probe: async () => (await describeTasks(ecs, config.cluster, [taskArn]))[0],
        done: task => task?.lastStatus === 'RUNNING' || task?.lastStatus === 'STOPPED',
        progress: (task, elapsedMs) => core/* info */.pq(`Task ${taskId}: ${task?.lastStatus ?? 'not visible yet'} (${(0,poll/* formatElapsed */.C7)(elapsedMs)})`)
    });
    if (task?.lastStatus !== 'RUNNING' && task?.lastStatus !== 'STOPPED') {
        throw new src_errors/* ActionError */.lZ(`Agent task ${taskArn} is ${task?.lastStatus ?? 'not visible'} after ` +
            `${(0,poll/* formatElapsed */.C7)(elapsedMs)}, past wait-timeout. It may still start: a re-run reuses it. ` +
            `Raise 'wait-timeout' if pulls are slow, or check the task's events in the console.`);
    }
    return task;
}
async function stopTask(ecs, cluster, taskArn, reason) {
    await ecs.send(new client_ecs_dist_cjs/* StopTaskCommand */.PP1({ cluster, task: taskArn, reason }));
}

// EXTERNAL MODULE: ./src/plan/field-changes.ts
var field_changes = __webpack_require__(3055);
;// CONCATENATED MODULE: ./src/ecs/resources/task-definition.ts
/**
 * The agent's task definition: what it should be, what the latest active revision is, and whether
 * they differ. A new revision is registered only when they do, so re-runs leave the family alone.
 */


const AGENT_CONTAINER = 'agent';
const API_KEY_VARIABLE = 'CLOUDAEYE_API_KEY';
function desiredTaskDefinition(config) {
    const environment = [
        { name: 'AWS_REGION', value: config.region },
        { name: 'CLOUDAEYE_CLUSTER', value: config.clusterName },
        { name: 'CLOUDAEYE_ENDPOINT', value: config.endpoint },
        { name: 'CLOUDAEYE_PLATFORM', value: 'ecs' },
        { name: 'CLOUDAEYE_SERVICES', value: config.services.join(',') }
    ].filter(variable => variable.value !== '');
    if (config.apiKey)
        environment.push({ name: API_KEY_VARIABLE, value: config.apiKey });
    const container = {
        name: AGENT_CONTAINER,
        image: config.agentImage,
        essential: true,
        // A soft limit equal to the task's memory: Fargate needs none, but it keeps the container
        // definition valid on every ECS implementation (the emulator requires one).
        memoryReservation: config.memory,
        environment,
        secrets: config.apiKeySecretArn
            ? [{ name: API_KEY_VARIABLE, valueFrom: config.apiKeySecretArn }]
            : undefined,
        // awslogs needs the execution role to write; without one the agent logs nowhere.
        logConfiguration: config.executionRoleArn
            ? {
                logDriver: 'awslogs',
                options: {
                    'awslogs-group': `/ecs/${config.agentName}`,
                    'awslogs-region': config.region,
                    'awslogs-stream-prefix': AGENT_CONTAINER,
                    'awslogs-create-group': 'true'
                }
            }
            : undefined
    };
    return {
        family: config.agentName,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: String(config.cpu),
        memory: String(config.memory),
        executionRoleArn: config.executionRoleArn,
        taskRoleArn: config.taskRoleArn,
        containerDefinitions: [container],
        tags: Object.entries(config.tags).map(([key, value]) => ({ key, value }))
    };
}
/** The latest ACTIVE revision of the family, with its tags; undefined when there is none. */
async function findLatestTaskDefinition(ecs, family) {
    // The prefix also matches longer family names; only an exact match is ours.
    let exists = false;
    const pages = (0,client_ecs_dist_cjs/* paginateListTaskDefinitionFamilies */.Wi5)({ client: ecs }, { familyPrefix: family, status: 'ACTIVE' });
    for await (const page of pages)
        exists ||= (page.families ?? []).includes(family);
    return exists ? describeTaskDefinition(ecs, family) : undefined;
}
/** One revision (an ARN, or a family for its latest ACTIVE revision), with its tags. */
async function describeTaskDefinition(ecs, taskDefinition) {
    const answer = await ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition, include: ['TAGS'] }));
    if (!answer.taskDefinition)
        throw new Error(`ecs:DescribeTaskDefinition found no ${taskDefinition}`);
    return { definition: answer.taskDefinition, tags: answer.tags ?? [] };
}
/**
 * The fields of a definition that this action sets, with ECS's defaults filled in and lists
 * sorted, so that a described revision and a desired one compare equal when nothing changed.
 */
function comparable(definition, tags) {
    const byName = (a, b) => (a.name ?? '').localeCompare(b.name ?? '');
    return {
        family: definition.family,
        networkMode: definition.networkMode,
        requiresCompatibilities: [...(definition.requiresCompatibilities ?? [])].sort(),
        cpu: definition.cpu,
        memory: definition.memory,
        executionRoleArn: definition.executionRoleArn ?? null,
        taskRoleArn: definition.taskRoleArn ?? null,
        containers: (definition.containerDefinitions ?? []).map(container => ({
            name: container.name,
            image: container.image,
            essential: container.essential ?? true,
            memoryReservation: container.memoryReservation ?? null,
            // ECS may drop variables with empty values; an empty one and a missing one mean the same.
            environment: [...(container.environment ?? [])]
                .filter(({ value }) => value)
                .map(({ name, value }) => ({ name, value }))
                .sort(byName),
            secrets: [...(container.secrets ?? [])]
                .map(({ name, valueFrom }) => ({ name, valueFrom }))
                .sort(byName),
            logConfiguration: container.logConfiguration
                ? {
                    logDriver: container.logConfiguration.logDriver,
                    options: Object.entries(container.logConfiguration.options ?? {}).sort()
                }
                : null
        })),
        tags: tags
            .map(({ key, value }) => ({ key, value }))
            .sort((a, b) => a.key.localeCompare(b.key))
    };
}
/**
 * Names the fields that differ between the latest revision and the desired one; empty when a
 * new revision is not needed. Names only: values may hold the API key.
 */
function taskDefinitionChanges(existing, desired) {
    const before = flatten(comparable(existing.definition, existing.tags));
    const after = flatten(comparable(desired, desired.tags ?? []));
    const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...fields].filter(field => before[field] !== after[field]);
}
/**
 * The field-by-field difference a plan shows: `image`, `environment.CLOUDAEYE_ENDPOINT`, with
 * the API key's variable masked. From nothing, every field the new definition sets.
 */
function taskDefinitionDiff(existing, desired) {
    const before = existing && displayed(comparable(existing.definition, existing.tags));
    return (0,field_changes/* fieldChanges */.w)(before, displayed(comparable(desired, desired.tags ?? [])), isApiKey);
}
const isApiKey = (path) => path === `environment.${API_KEY_VARIABLE}` || path.endsWith(`.environment.${API_KEY_VARIABLE}`);
/**
 * Lists keyed by name, so that one changed variable is one changed field; the one container's
 * fields at the top, as `taskDefinitionChanges` names them.
 */
function displayed(value) {
    const { containers, tags, ...task } = value;
    const byName = (list, value) => Object.fromEntries(list.map(item => [item.name ?? '', value(item)]));
    const shown = containers.map(({ name, environment, secrets, logConfiguration, ...rest }) => ({
        name,
        fields: {
            ...rest,
            environment: byName(environment, variable => variable.value),
            secrets: byName(secrets, secret => secret.valueFrom),
            logConfiguration: logConfiguration && {
                logDriver: logConfiguration.logDriver,
                options: Object.fromEntries(logConfiguration.options)
            }
        }
    }));
    return {
        ...task,
        tags: Object.fromEntries(tags.map(({ key, value }) => [key, value])),
        ...(shown.length === 1
            ? shown[0].fields
            : { containers: Object.fromEntries(shown.map(({ name, fields }) => [name, fields])) })
    };
}
/** `{ containers: [{ image }] }` into `{ image: '"..."' }`: one entry per field a user would name. */
function flatten(value) {
    const { containers, ...task } = value;
    const fields = {};
    for (const [key, field] of Object.entries(task))
        fields[key] = JSON.stringify(field);
    fields.containers = String(containers.length);
    for (const container of containers) {
        for (const [key, field] of Object.entries(container)) {
            const name = containers.length > 1 ? `${container.name}.${key}` : key;
            fields[name] = JSON.stringify(field);
        }
    }
    return fields;
}
async function registerTaskDefinition(ecs, desired) {
    const answer = await ecs.send(new client_ecs_dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(desired));
    if (!answer.taskDefinition?.taskDefinitionArn) {
        throw new Error('ecs:RegisterTaskDefinition returned no task definition');
    }
    return answer.taskDefinition;
}

;// CONCATENATED MODULE: ./src/ecs/resources/current-revisions.ts

class CurrentRevisions {
    ecs;
    desired;
    arn;
    verdicts = new Map();
    constructor(ecs, desired, arn, 
    /** Verdicts the plan already reached on the revisions it observed. */
    known = new Map()) {
        this.ecs = ecs;
        this.desired = desired;
        this.arn = arn;
        for (const [revision, current] of known)
            this.verdicts.set(revision, Promise.resolve(current));
        this.verdicts.set(arn, Promise.resolve(true));
    }
    /** Whether a revision has the desired content; each other revision is described once. */
    isCurrent(taskDefinitionArn) {
        let verdict = this.verdicts.get(taskDefinitionArn);
        if (!verdict) {
            verdict = describeTaskDefinition(this.ecs, taskDefinitionArn).then(existing => taskDefinitionChanges(existing, this.desired).length === 0);
            this.verdicts.set(taskDefinitionArn, verdict);
        }
        return verdict;
    }
    /** The tasks running a current revision, in the order given. */
    async of(tasks) {
        const current = await Promise.all(tasks.map(task => this.isCurrent(task.taskDefinitionArn ?? '')));
        return tasks.filter((_task, index) => current[index]);
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var client_ec2_dist_cjs = __webpack_require__(35193);
// EXTERNAL MODULE: ./src/inputs.ts + 3 modules
var inputs = __webpack_require__(30926);
;// CONCATENATED MODULE: ./src/ecs/resources/network.ts
/**
 * Where the agent task runs: the VPC's subnets (or the given ones, checked to be in the VPC) and a
 * security group, the agent's own unless the user names groups.
 */




async function findSubnets(ec2, config) {
    const offered = config.subnetIds
        ? await describeGivenSubnets(ec2, config)
        : await describeVpcSubnets(ec2, config);
    const chosen = chooseSubnets(offered, config.region, config.assignPublicIp);
    return {
        ids: chosen.map(subnet => subnet.SubnetId ?? '').sort(),
        mapsPublicIp: chosen.some(subnet => subnet.MapPublicIpOnLaunch === true),
        offered: offered.length
    };
}
/**
 * The subnets to hand RunTask. Up to 16, all of them. Beyond that, 16 chosen by a rule that gives
 * the same answer on every run while the VPC stays the same:
 * 1. Only subnets Fargate can use, when there are any: available, in one of the region's
 *    Availability Zones (not a Local or Wavelength Zone), not on an Outpost.
 * 2. Of those, the ones that suit assign-public-ip, when there are any: subnets that map public
 *    IPs on launch for `true`; the others for `false` and `auto`, so the agent runs privately
 *    unless asked otherwise (a public subnet without a public IP has no way out).
 * 3. Spread across zones: one subnet per zone in turn, zones by name, and within a zone the
 *    largest IPv4 range first (the most addresses to start in), then the subnet ID.
 */
function chooseSubnets(subnets, region, assignPublicIp) {
    if (subnets.length <= inputs/* MAX_TASK_SUBNETS */.K7)
        return subnets;
    const usable = preferWhereAny(subnets, subnet => fargateCanUse(subnet, region));
    const wantsPublic = assignPublicIp === 'enabled';
    const suited = preferWhereAny(usable, subnet => (subnet.MapPublicIpOnLaunch === true) === wantsPublic);
    return spreadAcrossZones(suited, inputs/* MAX_TASK_SUBNETS */.K7);
}
function preferWhereAny(subnets, suits) {
    const suiting = subnets.filter(suits);
    return suiting.length > 0 ? suiting : subnets;
}
function fargateCanUse(subnet, region) {
    const zone = subnet.AvailabilityZone;
    // A region's own zones are named after it with one letter more (us-east-1a); Local and
    // Wavelength Zones carry a longer suffix (us-west-2-lax-1a), where Fargate does not run.
    const regionalZone = zone === undefined || new RegExp(`^${region}[a-z]$`).test(zone);
    return (subnet.State ?? 'available') === 'available' && !subnet.OutpostArn && regionalZone;
}
/** The first subnet of every zone, then the second of every zone, and so on. */
function spreadAcrossZones(subnets, limit) {
    const byZone = new Map();
    for (const subnet of subnets) {
        const zone = subnet.AvailabilityZone ?? subnet.AvailabilityZoneId ?? '';
        byZone.set(zone, [...(byZone.get(zone) ?? []), subnet]);
    }
    const ranked = [...byZone.keys()].sort().flatMap((zone, zoneIndex) => byZone
        .get(zone)
        .sort(largestFirst)
        .map((subnet, turn) => ({ subnet, turn, zoneIndex })));
    return ranked
        .sort((a, b) => a.turn - b.turn || a.zoneIndex - b.zoneIndex)
        .slice(0, limit)
        .map(({ subnet }) => subnet);
}
/** A /20 before a /24; a subnet with no IPv4 range (IPv6 only) last; then by ID. */
function largestFirst(a, b) {
    const prefix = (subnet) => Number(subnet.CidrBlock?.split('/')[1] ?? 33);
    const [idA, idB] = [a.SubnetId ?? '', b.SubnetId ?? ''];
    return prefix(a) - prefix(b) || (idA < idB ? -1 : idA > idB ? 1 : 0);
}
async function describeVpcSubnets(ec2, config) {
    const subnets = [];
    const pages = (0,client_ec2_dist_cjs/* paginateDescribeSubnets */.vvt)({ client: ec2 }, { Filters: [{ Name: 'vpc-id', Values: [config.vpcId] }] });
    for await (const page of pages)
        subnets.push(...(page.Subnets ?? []));
    if (subnets.length === 0)
        await failOnEmptyVpc(ec2, config);
    return subnets;
}
/** No subnets: tell a missing VPC from an empty one, since the fixes differ. */
async function failOnEmptyVpc(ec2, config) {
    try {
        await ec2.send(new client_ec2_dist_cjs/* DescribeVpcsCommand */.Dti({ VpcIds: [config.vpcId] }));
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) === 'InvalidVpcID.NotFound') {
            throw new src_errors/* ActionError */.lZ(`VPC ${config.vpcId} not found in region ${config.region}. Check 'vpc-id' and 'aws-region'.`);
        }
        throw error;
    }
    throw new src_errors/* ActionError */.lZ(`VPC ${config.vpcId} in region ${config.region} has no subnets. Create subnets in it, or ` +
        `give 'subnet-ids'.`);
}
async function describeGivenSubnets(ec2, config) {
    let subnets;
    try {
        const answer = await ec2.send(new client_ec2_dist_cjs/* DescribeSubnetsCommand */.jSW({ SubnetIds: config.subnetIds }));
        subnets = answer.Subnets ?? [];
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) === 'InvalidSubnetID.NotFound') {
            throw new src_errors/* ActionError */.lZ(`Input 'subnet-ids': ${error.message} (region ${config.region}). ` +
                `Give subnets of ${config.vpcId}.`);
        }
        throw error;
    }
    const foreign = subnets.filter(subnet => subnet.VpcId !== config.vpcId);
    if (foreign.length > 0) {
        const list = foreign.map(subnet => `${subnet.SubnetId} (${subnet.VpcId})`).join(', ');
        throw new src_errors/* ActionError */.lZ(`Input 'subnet-ids': ${list} not in ${config.vpcId}. Give subnets of that VPC.`);
    }
    return subnets;
}
/** The agent's own group in the VPC, found by name; undefined when it does not exist yet. */
async function findAgentSecurityGroup(ec2, config) {
    const answer = await ec2.send(new client_ec2_dist_cjs/* DescribeSecurityGroupsCommand */.jsQ({
        Filters: [
            { Name: 'vpc-id', Values: [config.vpcId] },
            { Name: 'group-name', Values: [config.agentName] }
        ]
    }));
    const group = answer.SecurityGroups?.[0];
    if (!group?.GroupId)
        return undefined;
    const owned = (group.Tags ?? []).some(tag => tag.Key === inputs/* MANAGED_BY_TAG */.dS && tag.Value === inputs/* MANAGED_BY */.Kf);
    return { id: group.GroupId, owned };
}
/** The user's groups must exist and belong to the VPC, or the task would fail to start later. */
async function checkGivenSecurityGroups(ec2, config, groupIds) {
    try {
        const answer = await ec2.send(new client_ec2_dist_cjs/* DescribeSecurityGroupsCommand */.jsQ({ GroupIds: groupIds }));
        const foreign = (answer.SecurityGroups ?? []).filter(group => group.VpcId !== config.vpcId);
        if (foreign.length > 0) {
            const list = foreign.map(group => `${group.GroupId} (${group.VpcId})`).join(', ');
            throw new src_errors/* ActionError */.lZ(`Input 'security-group-ids': ${list} not in ${config.vpcId}. Give groups of that VPC.`);
        }
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) === 'InvalidGroup.NotFound') {
            throw new src_errors/* ActionError */.lZ(`Input 'security-group-ids': ${error.message} (region ${config.region}).`);
        }
        throw error;
    }
}
/**
 * Creates the agent's group: no ingress (the agent only calls out) and the default egress rule.
 * A run racing this one may create it first; then the duplicate error is answered by reading it.
 */
async function createAgentSecurityGroup(ec2, config) {
    try {
        const answer = await ec2.send(new client_ec2_dist_cjs/* CreateSecurityGroupCommand */.x3C({
            GroupName: config.agentName,
            Description: `CloudAEye metrics agent ${config.agentName}: outbound only`,
            VpcId: config.vpcId,
            TagSpecifications: [
                {
                    ResourceType: 'security-group',
                    Tags: Object.entries(config.tags).map(([Key, Value]) => ({ Key, Value }))
                }
            ]
        }));
        if (!answer.GroupId)
            throw new src_errors/* ActionError */.lZ('ec2:CreateSecurityGroup returned no GroupId.');
        return { id: answer.GroupId, createdHere: true };
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) !== 'InvalidGroup.Duplicate')
            throw error;
        const raced = await findAgentSecurityGroup(ec2, config);
        if (!raced)
            throw error;
        return { id: raced.id, createdHere: false };
    }
}

;// CONCATENATED MODULE: ./src/ecs/resources/agent-service.ts
/**
 * The agent as an ECS service of one Fargate task (`ecs-run-as: service`): ECS starts another task
 * when one stops, which a standalone task does not get. Finding the service, what it should be,
 * creating, updating and tagging it, waiting until it is steady, and deleting it.
 */







/** The agent runs as one task: a second would double every metric. */
const SERVICE_TASKS = 1;
/** The group ECS gives a service's tasks; a standalone task's group is `family:<family>`. */
const serviceGroup = (name) => `service:${name}`;
const isServiceTask = (task, name) => task.group === serviceGroup(name);
const ownsService = (service) => (service.tags ?? []).some(tag => tag.key === inputs/* MANAGED_BY_TAG */.dS && tag.value === inputs/* MANAGED_BY */.Kf);
/**
 * The agent's service when ECS still knows it as ACTIVE or DRAINING; an INACTIVE one is gone for
 * every purpose but its name, which may be used again.
 */
async function findAgentService(ecs, cluster, name) {
    const answer = await ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [name], include: ['TAGS'] }));
    return answer.services?.find(service => service.serviceName === name && service.status !== 'INACTIVE');
}
function desiredNetwork(placement) {
    return {
        awsvpcConfiguration: {
            subnets: [...placement.subnetIds].sort(),
            securityGroups: [...placement.securityGroupIds].sort(),
            assignPublicIp: placement.assignPublicIp
        }
    };
}
const desiredTags = (config) => Object.entries(config.tags).map(([key, value]) => ({ key, value }));
/** Whether the service's network is the desired one; the order of IDs does not matter. */
function sameNetwork(service, desired) {
    const have = service.networkConfiguration?.awsvpcConfiguration;
    const want = desired.awsvpcConfiguration;
    const ids = (list) => [...(list ?? [])].sort().join(',');
    return (ids(have?.subnets) === ids(want?.subnets) &&
        ids(have?.securityGroups) === ids(want?.securityGroups) &&
        (have?.assignPublicIp ?? 'DISABLED') === want?.assignPublicIp);
}
/** The desired tags the service lacks or has with another value; tags it has besides stay. */
function missingTags(service, desired) {
    const have = new Map((service.tags ?? []).map(tag => [tag.key, tag.value]));
    return desired.filter(tag => have.get(tag.key) !== tag.value);
}
/** The circuit breaker stops a deployment whose tasks keep failing and rolls it back. */
function hasCircuitBreaker(service) {
    const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
    return breaker?.enable === true && breaker.rollback === true;
}
const DEPLOYMENT = {
    deploymentCircuitBreaker: { enable: true, rollback: true },
    // One agent at a time: the old task stops before the new one starts would leave a gap, two at
    // once a short double count; a gap-free rollout is what the circuit breaker can roll back.
    maximumPercent: 200,
    minimumHealthyPercent: 100
};
/**
 * The same token for the same cluster, service and workflow run attempt, so an SDK retry of
 * CreateService is answered with the service it created; CreateService takes 36 characters.
 */
function createServiceToken(config) {
    const runId = process.env.GITHUB_RUN_ID;
    if (!runId)
        return (0,external_node_crypto_.randomUUID)();
    const parts = [config.cluster, config.agentName, runId, process.env.GITHUB_RUN_ATTEMPT ?? '1'];
    return (0,external_node_crypto_.createHash)('sha256').update(parts.join('\n')).digest('hex').slice(0, 36);
}
async function createService(ecs, config, desired) {
    const answer = await ecs.send(new client_ecs_dist_cjs/* CreateServiceCommand */.JkR({
        cluster: config.cluster,
        serviceName: config.agentName,
        taskDefinition: desired.taskDefinition,
        desiredCount: SERVICE_TASKS,
        launchType: 'FARGATE',
        networkConfiguration: desired.network,
        deploymentConfiguration: DEPLOYMENT,
        schedulingStrategy: 'REPLICA',
        propagateTags: 'TASK_DEFINITION',
        enableECSManagedTags: true,
        tags: desired.tags,
        clientToken: createServiceToken(config)
    }));
    if (!answer.service?.serviceArn)
        throw new src_errors/* ActionError */.lZ('ecs:CreateService returned no service.');
    return answer.service;
}
async function updateService(ecs, config, update) {
    const answer = await ecs.send(new client_ecs_dist_cjs/* UpdateServiceCommand */.kZr({
        cluster: config.cluster,
        service: config.agentName,
        taskDefinition: update.taskDefinition,
        networkConfiguration: update.network,
        desiredCount: update.desiredCount,
        deploymentConfiguration: update.deploymentConfiguration ? DEPLOYMENT : undefined
    }));
    if (!answer.service?.serviceArn)
        throw new src_errors/* ActionError */.lZ('ecs:UpdateService returned no service.');
    return answer.service;
}
/** UpdateService takes no tags: they are added with TagResource. */
async function tagService(ecs, serviceArn, tags) {
    await ecs.send(new client_ecs_dist_cjs/* TagResourceCommand */.eqU({ resourceArn: serviceArn, tags }));
}
/** ECS deletes only a service scaled to 0; its tasks then stop while it drains. */
async function deleteService(ecs, config) {
    await updateService(ecs, config, { desiredCount: 0 });
    await ecs.send(new client_ecs_dist_cjs/* DeleteServiceCommand */.o6q({ cluster: config.cluster, service: config.agentName }));
}
const primaryOf = (service) => service?.deployments?.find(deployment => deployment.status === 'PRIMARY');
/** Steady: the primary deployment rolled out and runs as many tasks as it should. */
function isSteady(service) {
    const primary = primaryOf(service);
    return (primary?.rolloutState === 'COMPLETED' &&
        service?.runningCount === service?.desiredCount &&
        (service?.deployments?.length ?? 0) === 1);
}
const hasFailed = (service) => primaryOf(service)?.rolloutState === 'FAILED';
/**
 * A deleted service drains while its tasks stop; its name can be used again only once it is
 * INACTIVE. Waits for that within wait-timeout.
 */
async function waitUntilDrained(ecs, config, clock) {
    const { value } = await (0,poll/* pollUntil */.g3)({
        clock,
        timeoutMs: config.waitTimeoutMs,
        probe: () => findAgentService(ecs, config.cluster, config.agentName),
        done: service => service?.status !== 'DRAINING',
        progress: (_service, elapsedMs) => core/* info */.pq(`Service ${config.agentName}: draining (${(0,poll/* formatElapsed */.C7)(elapsedMs)})`)
    });
    if (value?.status === 'DRAINING') {
        throw new src_errors/* ActionError */.lZ(`Service ${config.agentName} in cluster ${config.cluster} is still draining after ` +
            `wait-timeout: ECS refuses a new service of its name until its tasks stopped. Re-run ` +
            `once it is INACTIVE, or raise 'wait-timeout'.`);
    }
}
/**
 * Polls until the service is steady, and returns it. A deployment the circuit breaker failed,
 * or none steady by the deadline, fails the step with the reasons its tasks stopped.
 */
async function waitUntilSteady(ecs, config, clock) {
    const { value: service, elapsedMs } = await (0,poll/* pollUntil */.g3)({
        clock,
        timeoutMs: config.waitTimeoutMs,
        probe: () => findAgentService(ecs, config.cluster, config.agentName),
        done: service => isSteady(service) || hasFailed(service) || !service,
        progress: (service, elapsedMs) => {
            const primary = primaryOf(service);
            core/* info */.pq(`Service ${config.agentName}: ${primary?.rolloutState ?? 'no deployment'}, ` +
                `${service?.runningCount ?? 0} of ${service?.desiredCount ?? SERVICE_TASKS} running ` +
                `(${(0,poll/* formatElapsed */.C7)(elapsedMs)})`);
        }
    });
    if (service && isSteady(service))
        return service;
    const stopped = await stoppedServiceTasks(ecs, config);
    const reasons = stopped.length > 0
        ? ` Its stopped tasks: ${stopped.map(task => `${taskId(task)}: ${stoppedReasons(task)}`).join(' | ')}.`
        : '';
    if (!service) {
        throw new src_errors/* ActionError */.lZ(`Service ${config.agentName} is gone from cluster ${config.cluster}.`);
    }
    if (hasFailed(service)) {
        const why = primaryOf(service)?.rolloutStateReason ?? 'the deployment failed';
        throw new src_errors/* ActionError */.lZ(`Service ${config.agentName}'s deployment failed (${why}); the circuit breaker rolls it ` +
            `back.${reasons}`);
    }
    throw new src_errors/* ActionError */.lZ(`Service ${config.agentName} is not steady after ${(0,poll/* formatElapsed */.C7)(elapsedMs)}, past ` +
        `wait-timeout: ${service.runningCount ?? 0} of ${service.desiredCount ?? 1} task(s) ` +
        `running.${reasons} Raise 'wait-timeout' if pulls are slow, or check the service's events.`);
}
const taskId = (task) => task.taskArn?.split('/').pop() ?? '';
/** The service's tasks that stopped, newest first, from the family's recent tasks. */
async function stoppedServiceTasks(ecs, config) {
    const tasks = await findAgentTasks(ecs, config.cluster, config.agentName, 'STOPPED').catch(() => []);
    return tasks
        .filter(task => isServiceTask(task, config.agentName))
        .reverse()
        .slice(0, 3);
}
/** The service's task that runs, if one does: the `task-arn` output. */
async function runningServiceTask(ecs, config) {
    const tasks = await findAgentTasks(ecs, config.cluster, config.agentName);
    return tasks.find(task => isServiceTask(task, config.agentName) && task.lastStatus === 'RUNNING');
}

;// CONCATENATED MODULE: ./src/ecs/apply-service.ts
/**
 * Carries out the service part of a deploy plan. As a service: creates or updates it as planned,
 * waits until it is steady, and then stops the standalone agent tasks a task-mode run left. As a
 * task: deletes the action's service once the standalone task runs. The only re-reads are those
 * a racing run calls for: a service another run created first is adopted.
 */







async function settleAgentService({ ecs }, config, report, clock, current, placement, plan) {
    const planned = plan.service;
    const network = desiredNetwork(placement);
    const link = console_links/* consoleLinks */.t.service(config.region, config.clusterName, config.agentName);
    let service = planned.existing;
    let status = 'unchanged';
    let note;
    try {
        if (planned.action === 'create') {
            if (planned.draining)
                await waitUntilDrained(ecs, config, clock);
            const created = await createOrAdopt(ecs, config, current, network);
            service = created.service;
            status = created.status;
            note = created.note;
        }
        else if (planned.action === 'update' && service) {
            const fields = [];
            const update = {
                taskDefinition: planned.taskDefinition ? current.arn : undefined,
                // A group created by this run is known only now: the network is compared again.
                network: planned.network && !sameNetwork(service, network) ? network : undefined,
                desiredCount: planned.desiredCount ? 1 : undefined,
                deploymentConfiguration: planned.circuitBreaker
            };
            if (update.taskDefinition)
                fields.push('taskDefinition');
            if (update.network)
                fields.push('networkConfiguration');
            if (update.desiredCount)
                fields.push('desiredCount');
            if (update.deploymentConfiguration)
                fields.push('deploymentConfiguration');
            if (fields.length > 0)
                service = await updateService(ecs, config, update);
            if (planned.tags.length > 0) {
                await tagService(ecs, service.serviceArn, planned.tags);
                fields.push('tags');
            }
            if (fields.length > 0) {
                status = 'updated';
                note = `changed: ${fields.join(', ')}`;
            }
        }
        if (!service)
            throw new src_errors/* ActionError */.lZ(`Service ${config.agentName} was not found.`);
        const record = () => report.record({
            kind: 'Agent service',
            id: config.agentName,
            status,
            note,
            link
        });
        // Recorded at once, so a failed wait still tells the user the service exists.
        record();
        report.output('service-arn', service.serviceArn ?? '');
        if (config.wait)
            await waitUntilSteady(ecs, config, clock);
        const task = await runningServiceTask(ecs, config);
        if (task)
            recordTask(report, config, task, 'reused', "the service's task");
        await stopStandaloneTasks(ecs, config, report, plan, task);
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `service ${config.agentName} in cluster ${config.cluster}`);
    }
}
/**
 * Creates the service. A run racing this one may have created it first: ECS then refuses a
 * second one of the name, and that service is adopted, updated only where it is not current.
 */
async function createOrAdopt(ecs, config, current, network) {
    const tags = desiredTags(config);
    try {
        const service = await createService(ecs, config, {
            taskDefinition: current.arn,
            network,
            tags
        });
        return { service, status: 'created' };
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) !== 'InvalidParameterException')
            throw error;
        const existing = await findAgentService(ecs, config.cluster, config.agentName);
        if (existing?.status !== 'ACTIVE' || !ownsService(existing))
            throw error;
        core/* info */.pq(`A concurrent run created service ${config.agentName} first; using that one.`);
        const revisionCurrent = await current.isCurrent(existing.taskDefinition ?? '');
        const networkSame = sameNetwork(existing, network);
        if (revisionCurrent && networkSame) {
            return { service: existing, status: 'reused', note: 'created by a concurrent run' };
        }
        const service = await updateService(ecs, config, {
            taskDefinition: revisionCurrent ? undefined : current.arn,
            network: networkSame ? undefined : network
        });
        return { service, status: 'updated', note: 'created by a concurrent run' };
    }
}
/**
 * Switching from task to service: the standalone agent tasks stop once the service's task runs,
 * so the agent is never down. Read again, as a racing task-mode run may have started one.
 */
async function stopStandaloneTasks(ecs, config, report, plan, serviceTask) {
    if (!serviceTask) {
        if (plan.service.standalone.length > 0) {
            core/* info */.pq(`Leaving ${plan.service.standalone.length} standalone agent task(s) until the ` +
                `service's task runs; a re-run stops them.`);
        }
        return;
    }
    const standalone = (await findAgentTasks(ecs, config.cluster, config.agentName)).filter(task => !isServiceTask(task, config.agentName));
    for (const task of standalone) {
        await stopTask(ecs, config.cluster, task.taskArn, replacedBy(serviceTask.taskArn));
        recordTask(report, config, task, 'stopped', `replaced by the service's ${apply_taskId(serviceTask)}`);
    }
}
/**
 * Switching from service to task: the action's service is scaled to 0 and deleted once the
 * standalone task runs; until then it stays, and a re-run deletes it.
 */
async function removeReplacedService({ ecs }, config, report, agent) {
    const link = console_links/* consoleLinks */.t.service(config.region, config.clusterName, config.agentName);
    if (agent.lastStatus !== 'RUNNING') {
        core/* info */.pq(`Leaving service ${config.agentName} until the agent task runs; a re-run deletes it.`);
        report.record({
            kind: 'Agent service',
            id: config.agentName,
            status: 'kept',
            note: 'until the standalone task runs',
            link
        });
        return;
    }
    try {
        // A racing run may have deleted it already.
        const service = await findAgentService(ecs, config.cluster, config.agentName);
        if (service?.status === 'ACTIVE' && ownsService(service)) {
            await deleteService(ecs, config).catch(error => {
                const gone = ['ServiceNotActiveException', 'ServiceNotFoundException'];
                if (!gone.includes((0,errors/* errorCode */.CA)(error) ?? ''))
                    throw error;
            });
        }
        report.record({
            kind: 'Agent service',
            id: config.agentName,
            status: 'deleted',
            note: `replaced by task ${apply_taskId(agent)}`
        });
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `service ${config.agentName} in cluster ${config.cluster}`);
    }
}

;// CONCATENATED MODULE: ./src/ecs/apply.ts
/**
 * Carries out a deploy plan: the security group and the task definition (after the task role it
 * names), then the one agent task. Nothing is decided here that the plan decided; the only
 * re-reads are those a run racing this one calls for.
 */











async function applyEcsDeploy(clients, config, report, deps, plan) {
    if (plan.service.conflict)
        throw new src_errors/* ActionError */.lZ(plan.service.conflict);
    // The task definition names the role the action provides, so the role comes first.
    const roleThenDefinition = async () => {
        if (plan.taskRole)
            await applyEcsTaskRole(config, report, deps, plan.taskRole);
        return settleTaskDefinition(clients, config, report, plan);
    };
    // Independent of each other, so one wave of calls; both settle before a failure is thrown,
    // so the summary lists whatever the other created.
    const [network, definition] = await core/* group */.Os('Security group and task definition', () => Promise.allSettled([settleNetwork(clients, config, report, plan), roleThenDefinition()]));
    if (network.status === 'rejected')
        throw network.reason;
    if (definition.status === 'rejected')
        throw definition.reason;
    const current = new CurrentRevisions(clients.ecs, plan.taskDefinition.desired, definition.value, plan.agentTask.currentRevisions);
    if (config.runAs === 'service') {
        await core/* group */.Os('Agent service', () => settleAgentService(clients, config, report, deps.clock, current, network.value, plan));
        return;
    }
    const agent = await core/* group */.Os('Agent task', () => settleAgentTask(clients, config, report, deps.clock, current, network.value, plan));
    if (plan.service.action === 'delete') {
        await core/* group */.Os('Agent service', () => removeReplacedService(clients, config, report, agent));
    }
}
async function settleNetwork({ ec2 }, config, report, plan) {
    const subnetIds = plan.subnets.ids;
    report.record({
        kind: 'Subnets',
        id: subnetIds.join(', '),
        status: 'reused',
        link: console_links/* consoleLinks */.t.subnets(config.region, config.vpcId),
        note: plan.subnetsNote
    });
    report.output('subnet-ids', subnetIds.join(','));
    let securityGroupIds;
    const group = plan.securityGroup;
    if ('given' in group) {
        securityGroupIds = group.given;
        for (const id of group.given) {
            report.record({
                kind: 'Security group',
                id,
                status: 'reused',
                note: 'given',
                link: console_links/* consoleLinks */.t.securityGroup(config.region, id)
            });
        }
    }
    else {
        let id;
        let status = 'reused';
        if ('existing' in group)
            id = group.existing;
        else {
            // A racing run may have created it since: then it is reused, not created.
            const created = await createAgentSecurityGroup(ec2, config).catch(error => {
                throw (0,errors/* explainAwsFailure */.vt)(error, `security group ${config.agentName} in ${config.vpcId}`);
            });
            id = created.id;
            if (created.createdHere)
                status = 'created';
        }
        report.record({
            kind: 'Security group',
            id,
            status,
            link: console_links/* consoleLinks */.t.securityGroup(config.region, id)
        });
        securityGroupIds = [id];
    }
    report.output('security-group-id', securityGroupIds.join(','));
    return { subnetIds, securityGroupIds, assignPublicIp: plan.assignPublicIp };
}
async function settleTaskDefinition({ ecs }, config, report, plan) {
    const { desired, latest, register, changes } = plan.taskDefinition;
    let definition = latest?.definition;
    if (register || !definition) {
        definition = await registerTaskDefinition(ecs, desired).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, `task definition ${config.agentName}`);
        });
    }
    const arn = definition.taskDefinitionArn ?? '';
    report.record({
        kind: 'Task definition',
        id: `${config.agentName}:${definition.revision}`,
        status: !latest ? 'created' : changes.length > 0 ? 'updated' : 'unchanged',
        note: changes.length > 0 ? `changed: ${changes.join(', ')}` : undefined,
        link: console_links/* consoleLinks */.t.taskDefinition(config.region, config.agentName, definition.revision ?? 0)
    });
    report.output('task-definition-arn', arn);
    return arn;
}
async function settleAgentTask({ ecs }, config, report, clock, current, placement, plan) {
    try {
        let agent = plan.agentTask.keep;
        let status = 'reused';
        if (!agent) {
            agent = await runAgentTask(ecs, config, current.arn, placement);
            status = 'created';
            // Recorded at once, so a failed wait still tells the user which task exists.
            recordTask(report, config, agent, status);
        }
        if (config.wait && agent.lastStatus !== 'RUNNING') {
            agent = await waitUntilSettled(ecs, config, agent.taskArn, clock);
        }
        let everyAgent = plan.agentTask.found;
        if (status === 'created' && config.wait) {
            const kept = await keepOldestAgent(ecs, config, clock, agent, current);
            if (kept.agent.taskArn !== agent.taskArn)
                status = 'reused';
            agent = kept.agent;
            everyAgent = kept.everyAgent;
        }
        if (agent.lastStatus === 'STOPPED') {
            recordTask(report, config, agent, status);
            throw new src_errors/* ActionError */.lZ(`Agent task ${agent.taskArn} stopped before it ran: ${stoppedReasons(agent)}`);
        }
        recordTask(report, config, agent, status);
        const others = everyAgent.filter(task => task.taskArn !== agent.taskArn);
        if (agent.lastStatus !== 'RUNNING') {
            if (others.length > 0) {
                core/* info */.pq(`Leaving ${others.length} older agent task(s) until this one runs; a re-run stops them.`);
            }
            return agent;
        }
        for (const task of others) {
            await stopTask(ecs, config.cluster, task.taskArn, replacedBy(agent.taskArn));
            recordTask(report, config, task, 'stopped', `replaced by ${apply_taskId(agent)}`);
        }
        return agent;
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `agent task in cluster ${config.cluster}`);
    }
}
/**
 * After starting a task, a run racing this one may have started its own. Both keep the oldest
 * task of a current revision; the run whose task lost adopts (and waits for) the other.
 */
async function keepOldestAgent(ecs, config, clock, ours, current) {
    const everyAgent = (await findAgentTasks(ecs, config.cluster, config.agentName)).filter(task => !isServiceTask(task, config.agentName));
    const oldest = (await current.of(everyAgent))[0];
    if (!oldest || oldest.taskArn === ours.taskArn)
        return { agent: ours, everyAgent };
    core/* info */.pq(`A concurrent run started ${oldest.taskArn} first; keeping that one.`);
    const agent = oldest.lastStatus === 'RUNNING'
        ? oldest
        : await waitUntilSettled(ecs, config, oldest.taskArn, clock);
    return { agent, everyAgent };
}
function apply_taskId(task) {
    return task.taskArn?.split('/').pop() ?? '';
}
function recordTask(report, config, task, status, note) {
    report.record({
        kind: 'Agent task',
        id: apply_taskId(task),
        status,
        note: note ?? task.lastStatus,
        link: console_links/* consoleLinks */.t.task(config.region, config.clusterName, apply_taskId(task))
    });
    if (status !== 'stopped')
        report.output('task-arn', task.taskArn ?? '');
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch-logs/dist-cjs/index.js
var client_cloudwatch_logs_dist_cjs = __webpack_require__(70303);
;// CONCATENATED MODULE: ./src/ecs/resources/log-group.ts
/**
 * The agent's log group, `/ecs/<agent-name>`: the awslogs driver creates it on the task's first
 * start; remove deletes it only when asked, since it holds the agent's history.
 */


const agentLogGroup = (agentName) => `/ecs/${agentName}`;
/** Whether the group exists: asked by its name as a prefix, then matched whole. */
async function logGroupExists(logs, name) {
    let nextToken;
    do {
        const page = await logs.send(new client_cloudwatch_logs_dist_cjs/* DescribeLogGroupsCommand */.VlF({ logGroupNamePrefix: name, nextToken }));
        if ((page.logGroups ?? []).some(group => group.logGroupName === name))
            return true;
        nextToken = page.nextToken;
    } while (nextToken);
    return false;
}
async function deleteLogGroup(logs, name) {
    try {
        await logs.send(new client_cloudwatch_logs_dist_cjs/* DeleteLogGroupCommand */.ID1({ logGroupName: name }));
        return 'deleted';
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) === 'ResourceNotFoundException')
            return 'absent';
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/ecs/resources/revisions.ts
/**
 * Every revision of the agent's family, for remove: ECS keeps a deregistered (INACTIVE) revision
 * until it is deleted, so both kinds are listed, each described for the tag that says the action
 * registered it.
 */



/** DeleteTaskDefinitions takes at most 10 revisions a call. */
const MAX_DELETED_PER_CALL = 10;
/** Revisions described at once: a family of many revisions must not set off throttling. */
const DESCRIBED_AT_ONCE = 5;
async function listFamilyRevisions(ecs, family) {
    const listed = [];
    for (const status of ['ACTIVE', 'INACTIVE']) {
        const pages = (0,client_ecs_dist_cjs/* paginateListTaskDefinitions */.XPO)({ client: ecs }, { familyPrefix: family, status });
        for await (const page of pages) {
            for (const arn of page.taskDefinitionArns ?? []) {
                // The filter is the whole family name; a longer family is not the agent's.
                if (arn.split('/').pop()?.replace(/:\d+$/, '') === family)
                    listed.push({ arn, status });
            }
        }
    }
    const revisions = [];
    for (let start = 0; start < listed.length; start += DESCRIBED_AT_ONCE) {
        const batch = listed.slice(start, start + DESCRIBED_AT_ONCE);
        const described = await Promise.all(batch.map(({ arn }) => describeTaskDefinition(ecs, arn)));
        batch.forEach(({ arn, status }, index) => revisions.push({
            arn,
            id: arn.split('/').pop() ?? arn,
            status,
            owned: described[index].tags.some(tag => tag.key === inputs/* MANAGED_BY_TAG */.dS && tag.value === inputs/* MANAGED_BY */.Kf)
        }));
    }
    return revisions.sort((a, b) => revisionNumber(a) - revisionNumber(b));
}
const revisionNumber = (revision) => Number(revision.id.split(':').pop());
async function deregisterRevision(ecs, arn) {
    await ecs.send(new client_ecs_dist_cjs/* DeregisterTaskDefinitionCommand */.sjB({ taskDefinition: arn }));
}
/**
 * Deletes deregistered revisions, ten a call; ECS answers a revision it could not delete in
 * `failures` with HTTP 200, so those are returned with the reason.
 */
async function deleteRevisions(ecs, arns) {
    const failures = [];
    for (let start = 0; start < arns.length; start += MAX_DELETED_PER_CALL) {
        const answer = await ecs.send(new client_ecs_dist_cjs/* DeleteTaskDefinitionsCommand */.WeT({
            taskDefinitions: arns.slice(start, start + MAX_DELETED_PER_CALL)
        }));
        for (const failure of answer.failures ?? []) {
            failures.push({
                arn: failure.arn ?? '',
                reason: [failure.reason, failure.detail].filter(Boolean).join(': ')
            });
        }
    }
    return failures;
}

;// CONCATENATED MODULE: ./src/ecs/resources/security-group-removal.ts
/**
 * Deleting the agent's own security group. AWS refuses while any network interface uses it, and a
 * Fargate task's interface outlives the task by a while after it stops, so deletion first asks
 * which interfaces still use the group.
 */


/** The IDs of the network interfaces that use the group, attached or not. */
async function interfacesUsing(ec2, groupId) {
    const ids = [];
    const pages = (0,client_ec2_dist_cjs/* paginateDescribeNetworkInterfaces */.pkX)({ client: ec2 }, { Filters: [{ Name: 'group-id', Values: [groupId] }] });
    for await (const page of pages) {
        for (const eni of page.NetworkInterfaces ?? [])
            ids.push(eni.NetworkInterfaceId ?? '');
    }
    return ids.sort();
}
/**
 * `in use` when AWS refuses for a dependent object (an interface that appeared since it was
 * asked); `absent` when a racing run deleted it first.
 */
async function deleteSecurityGroup(ec2, groupId) {
    try {
        await ec2.send(new client_ec2_dist_cjs/* DeleteSecurityGroupCommand */.yEh({ GroupId: groupId }));
        return 'deleted';
    }
    catch (error) {
        const code = (0,errors/* errorCode */.CA)(error);
        if (code === 'InvalidGroup.NotFound')
            return 'absent';
        if (code === 'DependencyViolation')
            return 'in use';
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/ecs/apply-removal.ts
/**
 * Carries out a remove plan: the agent's service and tasks go first (they hold the group's
 * network interfaces and run as the role), then the revisions, the security group, the log group
 * and the role go at once. Each resource ends as a row: stopped, deleted, kept (with why) or
 * absent.
 */











/** Shown as the stopped task's reason in the console. */
const REMOVED = 'Removed by metrics-agent-action (mode: remove)';
async function applyEcsRemoval(clients, config, report, deps, plan) {
    for (const step of plan.steps)
        if (step.action === 'keep')
            report.recordKept(step);
    if (plan.service) {
        await core/* group */.Os('Agent service', () => removeAgentService(clients, config, report, deps, plan));
    }
    await core/* group */.Os('Agent tasks', () => stopAgentTasks(clients, config, report, plan));
    const results = await core/* group */.Os('Task definitions, security group, log group, role', () => Promise.allSettled([
        removeRevisions(clients, config, report, plan),
        removeSecurityGroup(clients, config, report, deps, plan),
        removeLogGroup(clients, report, plan),
        plan.taskRole ? removeEcsTaskRole(config, report, deps, plan.taskRole) : undefined
    ]));
    const failed = results.find(result => result.status === 'rejected');
    if (failed)
        throw failed.reason;
}
/**
 * ECS deletes only a service scaled to 0, and it then drains while its tasks stop. With `wait`
 * the drain is waited for, so that nothing of the agent runs when the step ends.
 */
async function removeAgentService({ ecs }, config, report, { clock }, plan) {
    const where = `service ${config.agentName} in cluster ${config.cluster}`;
    try {
        if (!plan.service?.draining) {
            await deleteService(ecs, config).catch(error => {
                // A racing remove deleted it first.
                const gone = ['ServiceNotActiveException', 'ServiceNotFoundException'];
                if (!gone.includes((0,errors/* errorCode */.CA)(error) ?? ''))
                    throw error;
            });
        }
        report.record({ kind: 'Agent service', id: config.agentName, status: 'deleted' });
        if (config.wait)
            await waitUntilDrained(ecs, config, clock);
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, where);
    }
}
async function stopAgentTasks({ ecs }, config, report, plan) {
    for (const task of plan.stop) {
        const id = task.taskArn?.split('/').pop() ?? '';
        await stopTask(ecs, config.cluster, task.taskArn, REMOVED).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, `agent task ${id} in cluster ${config.cluster}`);
        });
        report.record({
            kind: 'Agent task',
            id,
            status: 'stopped',
            note: 'removed',
            link: console_links/* consoleLinks */.t.task(config.region, config.clusterName, id)
        });
    }
}
async function removeRevisions({ ecs }, config, report, plan) {
    if (plan.delete.length === 0)
        return;
    try {
        // ECS deletes only deregistered revisions.
        for (const arn of plan.deregister)
            await deregisterRevision(ecs, arn);
        const failures = await deleteRevisions(ecs, plan.delete);
        for (const arn of plan.delete) {
            if (failures.some(failure => failure.arn === arn))
                continue;
            report.record({ kind: 'Task definition', id: arn.split('/').pop() ?? arn, status: 'deleted' });
        }
        if (failures.length > 0) {
            throw new src_errors/* ActionError */.lZ(`ecs:DeleteTaskDefinitions could not delete ${failures
                .map(failure => `${failure.arn} (${failure.reason})`)
                .join('; ')}`);
        }
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `task definition ${config.agentName}`);
    }
}
/**
 * AWS refuses to delete a group a network interface uses, and a Fargate task's interface is
 * released a while after the task stops. With `wait`, that release is waited for within
 * wait-timeout; otherwise, or past it, the group is kept and a re-run deletes it.
 */
async function removeSecurityGroup({ ec2 }, config, report, { clock }, plan) {
    const id = plan.securityGroup;
    if (!id)
        return;
    const link = console_links/* consoleLinks */.t.securityGroup(config.region, id);
    try {
        let interfaces = await interfacesUsing(ec2, id);
        if (interfaces.length > 0 && config.wait) {
            const waited = await (0,poll/* pollUntil */.g3)({
                clock,
                timeoutMs: config.waitTimeoutMs,
                probe: () => interfacesUsing(ec2, id),
                done: ids => ids.length === 0,
                progress: (ids, elapsedMs) => core/* info */.pq(`Security group ${id}: still used by ${ids.join(', ')} (${(0,poll/* formatElapsed */.C7)(elapsedMs)})`)
            });
            interfaces = waited.value;
        }
        const outcome = interfaces.length > 0 ? 'in use' : await deleteSecurityGroup(ec2, id);
        if (outcome === 'in use') {
            const users = interfaces.length > 0 ? interfaces.join(', ') : 'a network interface';
            report.record({
                kind: 'Security group',
                id,
                status: 'kept',
                note: `in use by ${users}`,
                link
            });
            report.note(`Security group ${id} is still used by ${users}: AWS releases a stopped task's network ` +
                `interface a while after the task stops. A re-run of remove deletes the group once ` +
                `nothing uses it${config.wait ? '' : " (or set 'wait: true' to wait for that)"}.`);
            return;
        }
        report.record({ kind: 'Security group', id, status: outcome, note: 'made by the action' });
    }
    catch (error) {
        throw (0,errors/* explainAwsFailure */.vt)(error, `security group ${id}`);
    }
}
async function removeLogGroup({ logs }, report, plan) {
    const name = plan.logGroup;
    if (!name)
        return;
    const status = await deleteLogGroup(logs(), name).catch(error => {
        throw (0,errors/* explainAwsFailure */.vt)(error, `log group ${name}`);
    });
    report.record({ kind: 'Log group', id: name, status, note: 'remove-logs' });
}

;// CONCATENATED MODULE: ./src/ecs/clients.ts
/** The AWS clients of the ECS path, each call named in the run's call log. */




async function withEcsClients(config, { callLog, signal }, use) {
    const settings = (0,aws_clients.clientConfig)(config.region, signal);
    const made = [];
    const make = (client) => (made.push(client), client);
    let logs;
    const clients = {
        ecs: make((0,aws_clients.instrument)(new client_ecs_dist_cjs/* ECSClient */.Zgc(settings), 'ecs', callLog)),
        ec2: make((0,aws_clients.instrument)(new client_ec2_dist_cjs/* EC2Client */.gu5(settings), 'ec2', callLog)),
        logs: () => (logs ??= make((0,aws_clients.instrument)(new client_cloudwatch_logs_dist_cjs/* CloudWatchLogsClient */.TFr(settings), 'logs', callLog)))
    };
    try {
        return await use(clients);
    }
    finally {
        for (const client of made)
            client.destroy();
    }
}

;// CONCATENATED MODULE: ./src/ecs/observe.ts
/**
 * What exists before a deploy or a plan: independent reads, made at once. Any of them failing
 * stops the step with nothing created.
 */









async function observeEcs({ ecs, ec2 }, config, deps) {
    const clusterLookup = (what) => (error) => {
        if ((0,errors/* errorCode */.CA)(error) === 'ClusterNotFoundException') {
            throw new src_errors/* ActionError */.lZ(`ECS cluster '${config.cluster}' not found in region ${config.region}. Check 'cluster' ` +
                `and 'aws-region', and that the credentials are for the cluster's account.`);
        }
        throw (0,errors/* explainAwsFailure */.vt)(error, `${what} in cluster ${config.cluster}`);
    };
    const [tasks, service, subnets, agentGroup, latestDefinition, taskRole] = await Promise.all([
        findAgentTasks(ecs, config.cluster, config.agentName).catch(clusterLookup('agent tasks')),
        findAgentService(ecs, config.cluster, config.agentName).catch(clusterLookup(`service ${config.agentName}`)),
        findSubnets(ec2, config).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, `subnets of ${config.vpcId}`);
        }),
        (config.securityGroupIds
            ? checkGivenSecurityGroups(ec2, config, config.securityGroupIds).then(() => undefined)
            : findAgentSecurityGroup(ec2, config)).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, `security groups of ${config.vpcId}`);
        }),
        findLatestTaskDefinition(ecs, config.agentName).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, `task definition ${config.agentName}`);
        }),
        providesTaskRole(config) ? observeEcsTaskRole(config, deps) : undefined
    ]);
    const revisionsInUse = [...tasks.map(task => task.taskDefinitionArn), service?.taskDefinition];
    const taskRevisions = await describeTaskRevisions(ecs, revisionsInUse, latestDefinition);
    if (subnets.ids.length < subnets.offered) {
        core/* info */.pq(`${config.vpcId} has ${subnets.offered} subnets, more than the ${inputs/* MAX_TASK_SUBNETS */.K7} RunTask ` +
            `takes: using ${subnets.ids.join(', ')}, chosen as the README describes. Set ` +
            `'subnet-ids' to choose others.`);
    }
    core/* info */.pq(`Found ${subnets.ids.length} subnet(s), ${tasks.length} agent task(s), ` +
        (service ? `service ${service.serviceName} (${service.status}), ` : '') +
        `task definition ${latestDefinition ? `revision ${latestDefinition.definition.revision}` : 'none'}.`);
    return { tasks, service, subnets, agentGroup, latestDefinition, taskRevisions, taskRole };
}
/** Each revision a task or the service runs, once; the latest is known already. */
async function describeTaskRevisions(ecs, inUse, latest) {
    const arns = [...new Set(inUse.map(arn => arn ?? ''))].filter(arn => arn && arn !== latest?.definition.taskDefinitionArn);
    const described = await Promise.all(arns.map(arn => describeTaskDefinition(ecs, arn).catch(error => {
        throw (0,errors/* explainAwsFailure */.vt)(error, `task definition ${arn}`);
    })));
    return new Map(arns.map((arn, index) => [arn, described[index]]));
}

;// CONCATENATED MODULE: ./src/ecs/observe-removal.ts







async function observeEcsRemoval(clients, config, deps) {
    // A cluster deleted first took its service and tasks with it; the rest is still the agent's.
    const withoutCluster = (what) => (error) => {
        if ((0,errors/* errorCode */.CA)(error) === 'ClusterNotFoundException')
            return undefined;
        throw (0,errors/* explainAwsFailure */.vt)(error, `${what} in cluster ${config.cluster}`);
    };
    const [tasks, service, revisions, agentGroup, logGroup, taskRole] = await Promise.all([
        findAgentTasks(clients.ecs, config.cluster, config.agentName).catch(withoutCluster('agent tasks')),
        findAgentService(clients.ecs, config.cluster, config.agentName).catch(withoutCluster(`service ${config.agentName}`)),
        listFamilyRevisions(clients.ecs, config.agentName).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, `task definition ${config.agentName}`);
        }),
        config.securityGroupIds
            ? undefined
            : findAgentSecurityGroup(clients.ec2, config).catch(error => {
                throw (0,errors/* explainAwsFailure */.vt)(error, `security groups of ${config.vpcId}`);
            }),
        logGroupExists(clients.logs(), agentLogGroup(config.agentName)).catch(error => {
            throw (0,errors/* explainAwsFailure */.vt)(error, `log group ${agentLogGroup(config.agentName)}`);
        }),
        observeEcsTaskRoleRemoval(config, deps)
    ]);
    return { tasks, service, revisions, agentGroup, logGroupExists: logGroup, taskRole };
}

;// CONCATENATED MODULE: ./src/ecs/plan-service.ts

const RESOURCE = 'Agent service';
const NOT_OURS = "not tagged as the action's";
function planAgentService(config, { service, tasks, revisionCurrent, placement }) {
    const active = service?.status === 'ACTIVE' ? service : undefined;
    const plan = {
        action: 'none',
        existing: active,
        draining: service?.status === 'DRAINING',
        taskDefinition: false,
        network: false,
        tags: [],
        desiredCount: false,
        circuitBreaker: false,
        standalone: []
    };
    const steps = [];
    const id = config.agentName;
    if (config.runAs === 'task') {
        if (!active)
            return { plan, steps };
        if (!ownsService(active)) {
            steps.push({ resource: RESOURCE, id, action: 'keep', reason: NOT_OURS });
            return { plan: { ...plan, action: 'keep' }, steps };
        }
        steps.push({
            resource: RESOURCE,
            id,
            action: 'delete',
            reason: 'ecs-run-as is task: scaled to 0 and deleted once the standalone task runs'
        });
        return { plan: { ...plan, action: 'delete' }, steps };
    }
    if (active && !ownsService(active)) {
        plan.conflict =
            `A service named ${id} exists in cluster ${config.cluster}, ${NOT_OURS}. Give another ` +
                `'agent-name', or delete that service.`;
        steps.push({ resource: RESOURCE, id, action: 'keep', reason: NOT_OURS });
        return { plan: { ...plan, action: 'keep' }, steps };
    }
    if (!active) {
        plan.action = 'create';
        steps.push({
            resource: RESOURCE,
            id,
            action: 'create',
            reason: plan.draining ? 'missing; the deleted one drains first' : 'missing'
        });
    }
    else {
        const changes = [];
        const revision = (arn) => arn?.split('/').pop();
        if (!revisionCurrent) {
            plan.taskDefinition = true;
            changes.push({
                field: 'taskDefinition',
                before: revision(active.taskDefinition),
                after: 'the current revision'
            });
        }
        const network = placement.securityGroupIds
            ? desiredNetwork({ ...placement, securityGroupIds: placement.securityGroupIds })
            : undefined;
        if (!network || !sameNetwork(active, network)) {
            plan.network = true;
            const awsvpc = active.networkConfiguration?.awsvpcConfiguration;
            changes.push({
                field: 'networkConfiguration',
                before: JSON.stringify(awsvpc ?? {}),
                after: network
                    ? JSON.stringify(network.awsvpcConfiguration)
                    : 'the security group to be created'
            });
        }
        plan.tags = missingTags(active, desiredTags(config));
        for (const tag of plan.tags) {
            const before = active.tags?.find(have => have.key === tag.key)?.value;
            changes.push({ field: `tags.${tag.key}`, before, after: tag.value });
        }
        if (active.desiredCount !== SERVICE_TASKS) {
            plan.desiredCount = true;
            changes.push({
                field: 'desiredCount',
                before: String(active.desiredCount),
                after: String(SERVICE_TASKS)
            });
        }
        if (!hasCircuitBreaker(active)) {
            plan.circuitBreaker = true;
            changes.push({
                field: 'deploymentConfiguration.deploymentCircuitBreaker',
                before: JSON.stringify(active.deploymentConfiguration?.deploymentCircuitBreaker ?? {}),
                after: JSON.stringify({ enable: true, rollback: true })
            });
        }
        plan.action = changes.length > 0 ? 'update' : 'keep';
        steps.push(changes.length > 0
            ? { resource: RESOURCE, id, action: 'update', reason: 'fields differ', changes }
            : { resource: RESOURCE, id, action: 'keep', reason: 'as it should be' });
    }
    plan.standalone = tasks.filter(task => !isServiceTask(task, config.agentName));
    for (const task of plan.standalone) {
        steps.push({
            resource: 'Agent task',
            id: task.taskArn?.split('/').pop() ?? '',
            action: 'delete',
            reason: "a standalone agent task; stopped once the service's task runs"
        });
    }
    return { plan, steps };
}

;// CONCATENATED MODULE: ./src/ecs/plan.ts




function planEcsDeploy(config, observed) {
    const steps = [];
    const subnets = observed.subnets;
    const subnetsNote = config.subnetIds
        ? 'given'
        : subnets.ids.length < subnets.offered
            ? `${subnets.ids.length} of the ${subnets.offered} in ${config.vpcId}`
            : `all of ${config.vpcId}`;
    steps.push({
        resource: 'Subnets',
        id: subnets.ids.join(', '),
        action: 'keep',
        reason: subnetsNote
    });
    const publicIp = config.assignPublicIp === 'auto' ? subnets.mapsPublicIp : config.assignPublicIp === 'enabled';
    let securityGroup;
    if (config.securityGroupIds) {
        securityGroup = { given: config.securityGroupIds };
        for (const id of config.securityGroupIds) {
            steps.push({ resource: 'Security group', id, action: 'keep', reason: 'given' });
        }
    }
    else if (observed.agentGroup) {
        securityGroup = { existing: observed.agentGroup.id };
        steps.push({
            resource: 'Security group',
            id: observed.agentGroup.id,
            action: 'keep',
            reason: observed.agentGroup.owned ? 'exists' : `exists, named ${config.agentName}`
        });
    }
    else {
        securityGroup = { create: true };
        steps.push({
            resource: 'Security group',
            id: config.agentName,
            action: 'create',
            reason: 'missing'
        });
    }
    const taskRole = observed.taskRole && planEcsTaskRole(config, observed.taskRole);
    if (taskRole)
        steps.push(taskRole.identity.step);
    else if (config.taskRoleArn) {
        steps.push({ resource: 'IAM role', id: config.taskRoleArn, action: 'keep', reason: 'given' });
    }
    const desired = desiredTaskDefinition({
        ...config,
        taskRoleArn: taskRole?.arn ?? config.taskRoleArn
    });
    const latest = observed.latestDefinition;
    const changes = latest ? taskDefinitionChanges(latest, desired) : [];
    const register = !latest || changes.length > 0;
    steps.push(taskDefinitionStep(config, latest, desired, register));
    const isCurrent = (definition) => taskDefinitionChanges(definition, desired).length === 0;
    const currentRevisions = new Map();
    if (latest?.definition.taskDefinitionArn) {
        currentRevisions.set(latest.definition.taskDefinitionArn, !register);
    }
    for (const [arn, definition] of observed.taskRevisions) {
        currentRevisions.set(arn, isCurrent(definition));
    }
    // The service's tasks are the service's business; the task mode deals in standalone tasks.
    const standalone = observed.tasks.filter(task => !isServiceTask(task, config.agentName));
    const asTask = config.runAs === 'task';
    const keep = asTask
        ? standalone.find(task => currentRevisions.get(task.taskDefinitionArn ?? ''))
        : undefined;
    if (asTask)
        steps.push(...agentTaskSteps(config, standalone, keep));
    const service = planAgentService(config, {
        service: observed.service,
        tasks: observed.tasks,
        revisionCurrent: currentRevisions.get(observed.service?.taskDefinition ?? '') === true,
        placement: {
            subnetIds: subnets.ids,
            assignPublicIp: publicIp ? 'ENABLED' : 'DISABLED',
            securityGroupIds: 'given' in securityGroup
                ? securityGroup.given
                : 'existing' in securityGroup
                    ? [securityGroup.existing]
                    : undefined
        }
    });
    steps.push(...service.steps);
    return {
        steps,
        subnets,
        subnetsNote,
        assignPublicIp: publicIp ? 'ENABLED' : 'DISABLED',
        securityGroup,
        taskRole,
        taskDefinition: { desired, latest, register, changes },
        agentTask: { keep, found: asTask ? standalone : [], currentRevisions },
        service: service.plan
    };
}
function taskDefinitionStep(config, latest, desired, register) {
    const resource = 'Task definition';
    if (!latest) {
        return {
            resource,
            id: config.agentName,
            action: 'create',
            reason: 'missing',
            changes: taskDefinitionDiff(undefined, desired)
        };
    }
    const id = `${config.agentName}:${latest.definition.revision}`;
    if (!register)
        return { resource, id, action: 'keep', reason: 'as it should be' };
    return {
        resource,
        id,
        action: 'update',
        reason: 'a new revision, as fields differ',
        changes: taskDefinitionDiff(latest, desired)
    };
}
const plan_taskId = (task) => task.taskArn?.split('/').pop() ?? '';
const revisionOf = (task) => task.taskDefinitionArn?.split('/').pop() ?? 'unknown';
/**
 * One agent task: the oldest current one is kept; without one, the oldest outdated task is
 * replaced (or a task created), and every other agent task is stopped once the agent runs.
 */
function agentTaskSteps(config, tasks, keep) {
    const resource = 'Agent task';
    const steps = [];
    const replaced = keep ? undefined : tasks[0];
    if (keep) {
        steps.push({ resource, id: plan_taskId(keep), action: 'keep', reason: 'runs the current revision' });
    }
    else if (replaced) {
        steps.push({
            resource,
            id: plan_taskId(replaced),
            action: 'replace',
            reason: `runs ${revisionOf(replaced)}, not the current revision`
        });
    }
    else {
        steps.push({ resource, id: config.agentName, action: 'create', reason: 'none runs' });
    }
    for (const task of tasks) {
        if (task === keep || task === replaced)
            continue;
        steps.push({
            resource,
            id: plan_taskId(task),
            action: 'delete',
            reason: `an extra agent task (${revisionOf(task)}); one is kept`
        });
    }
    return steps;
}

;// CONCATENATED MODULE: ./src/ecs/plan-removal.ts




const plan_removal_NOT_OURS = "not tagged as the action's";
const ABSENT = 'absent';
function planEcsRemoval(config, observed) {
    const steps = [];
    const plan = { steps, stop: [], deregister: [], delete: [] };
    const service = observed.service;
    if (!service) {
        steps.push({
            resource: 'Agent service',
            id: config.agentName,
            action: 'keep',
            reason: observed.tasks ? ABSENT : `${ABSENT}: no cluster ${config.cluster}`
        });
    }
    else if (!ownsService(service)) {
        steps.push({
            resource: 'Agent service',
            id: config.agentName,
            action: 'keep',
            reason: plan_removal_NOT_OURS
        });
    }
    else {
        plan.service = { draining: service.status === 'DRAINING' };
        steps.push({
            resource: 'Agent service',
            id: config.agentName,
            action: 'delete',
            reason: service.status === 'DRAINING'
                ? 'deleted already; its tasks stop'
                : 'made by the action; scaled to 0 and deleted, which stops its tasks'
        });
    }
    // A service's tasks go (or stay) with their service.
    const tasks = (observed.tasks ?? []).filter(task => !isServiceTask(task, config.agentName));
    for (const task of tasks) {
        const id = task.taskArn?.split('/').pop() ?? '';
        if (task.startedBy === STARTED_BY) {
            plan.stop.push(task);
            steps.push({ resource: 'Agent task', id, action: 'delete', reason: 'started by the action' });
        }
        else {
            steps.push({
                resource: 'Agent task',
                id,
                action: 'keep',
                reason: 'not started by the action'
            });
        }
    }
    if (tasks.length === 0) {
        steps.push({
            resource: 'Agent task',
            id: config.agentName,
            action: 'keep',
            reason: observed.tasks ? ABSENT : `${ABSENT}: no cluster ${config.cluster}`
        });
    }
    for (const revision of observed.revisions) {
        if (!revision.owned) {
            steps.push({ resource: 'Task definition', id: revision.id, action: 'keep', reason: plan_removal_NOT_OURS });
            continue;
        }
        if (revision.status === 'ACTIVE')
            plan.deregister.push(revision.arn);
        plan.delete.push(revision.arn);
        steps.push({
            resource: 'Task definition',
            id: revision.id,
            action: 'delete',
            reason: `registered by the action (${revision.status})`
        });
    }
    if (observed.revisions.length === 0) {
        steps.push({
            resource: 'Task definition',
            id: config.agentName,
            action: 'keep',
            reason: ABSENT
        });
    }
    if (config.securityGroupIds) {
        for (const id of config.securityGroupIds) {
            steps.push({ resource: 'Security group', id, action: 'keep', reason: 'given' });
        }
    }
    else if (!observed.agentGroup) {
        steps.push({ resource: 'Security group', id: config.agentName, action: 'keep', reason: ABSENT });
    }
    else if (!observed.agentGroup.owned) {
        steps.push({
            resource: 'Security group',
            id: observed.agentGroup.id,
            action: 'keep',
            reason: plan_removal_NOT_OURS
        });
    }
    else {
        plan.securityGroup = observed.agentGroup.id;
        steps.push({
            resource: 'Security group',
            id: observed.agentGroup.id,
            action: 'delete',
            reason: 'made by the action; once no network interface uses it'
        });
    }
    const logGroup = agentLogGroup(config.agentName);
    if (!observed.logGroupExists) {
        steps.push({ resource: 'Log group', id: logGroup, action: 'keep', reason: ABSENT });
    }
    else if (config.removeLogs) {
        plan.logGroup = logGroup;
        steps.push({ resource: 'Log group', id: logGroup, action: 'delete', reason: 'remove-logs' });
    }
    else {
        steps.push({
            resource: 'Log group',
            id: logGroup,
            action: 'keep',
            reason: "the agent's logs; remove-logs deletes it"
        });
    }
    const given = config.taskRoleArn;
    if (given)
        steps.push({ resource: 'IAM role', id: given, action: 'keep', reason: 'given' });
    // A given role of the action's name is the user's to keep.
    if (!given || given.split('/').pop() !== observed.taskRole.name) {
        const step = planEcsTaskRoleRemoval(observed.taskRole);
        if (step.action === 'delete')
            plan.taskRole = observed.taskRole.name;
        steps.push(step);
    }
    return plan;
}

;// CONCATENATED MODULE: ./src/ecs/run.ts
/**
 * The ECS Fargate path, in every mode: observe what exists, plan from it, show the plan; then
 * deploy or remove carries it out, and `plan` stops there without a single change.
 */








function runEcs(config, report, deps) {
    return withEcsClients(config, deps, async (clients) => {
        if (config.mode === 'remove') {
            const observed = await core/* group */.Os('Looking up what the agent has', () => observeEcsRemoval(clients, config, deps));
            const plan = planEcsRemoval(config, observed);
            report.plan(plan.steps, false);
            await applyEcsRemoval(clients, config, report, deps, plan);
            return;
        }
        if (config.apiKey) {
            core/* warning */.$e('cloudaeye-api-key is stored in the task definition, where anyone allowed ' +
                'ecs:DescribeTaskDefinition can read it. Store it in Secrets Manager or SSM and pass ' +
                'cloudaeye-api-key-secret-arn instead.');
        }
        const observed = await core/* group */.Os('Looking up cluster, network and task definition', () => observeEcs(clients, config, deps));
        const plan = planEcsDeploy(config, observed);
        report.plan(plan.steps, config.mode === 'plan');
        if (config.mode === 'plan')
            return;
        await applyEcsDeploy(clients, config, report, deps, plan);
    });
}


/***/ })

};

//# sourceMappingURL=354.index.js.map