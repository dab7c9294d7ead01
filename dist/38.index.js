export const id = 38;
export const ids = [38,947];
export const modules = {

/***/ 96076:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  fD: () => (/* binding */ EVEN_IF_CANCELLED),
  yO: () => (/* binding */ clientConfig),
  wV: () => (/* binding */ instrument)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: ./node_modules/@smithy/node-http-handler/dist-cjs/index.js
var dist_cjs = __webpack_require__(61279);
;// CONCATENATED MODULE: ./src/version.ts
/** Sent in the AWS user agent, so CloudTrail shows which release made a call. */
const ACTION_VERSION = '1.0.0';

;// CONCATENATED MODULE: ./src/aws/clients.ts
/**
 * Settings every AWS client of the action shares, and the instrumentation that names each call by
 * its IAM action: errors then say which permission was refused, and the debug log (and the tests)
 * see every call the action made.
 */



const TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 30_000 };
/**
 * Bounded retries with the SDK's standard mode (throttling, 5xx, timeouts) and timeouts on every
 * request, so a dead connection cannot hang a pipeline. With `signal`, a cancelled step also ends
 * the requests in flight instead of waiting out their timeouts and retries.
 */
function clientConfig(region, signal) {
    return {
        region,
        maxAttempts: 5,
        retryMode: 'standard',
        customUserAgent: `metrics-agent-action/${ACTION_VERSION}`,
        requestHandler: signal ? new CancellableHttpHandler(TIMEOUTS, signal) : TIMEOUTS
    };
}
/**
 * Send options for cleanup that must still reach AWS after the step was cancelled (deleting a key
 * this run made): their own signal, which never aborts, replaces the run's.
 */
const EVEN_IF_CANCELLED = { abortSignal: new AbortController().signal };
/** The SDK's Node handler, with the run's cancellation as every request's abort signal. */
class CancellableHttpHandler extends dist_cjs.NodeHttpHandler {
    cancellation;
    constructor(options, cancellation) {
        super(options);
        this.cancellation = cancellation;
    }
    handle(...[request, options]) {
        const handlerOptions = {
            ...options,
            abortSignal: options?.abortSignal ?? this.cancellation
        };
        return super.handle(request, handlerOptions);
    }
}
function instrument(client, servicePrefix, log) {
    client.middlewareStack.add((next, context) => async (args) => {
        const action = `${servicePrefix}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        log.calls.push(action);
        core/* debug */.Yz(`AWS call ${action}`);
        try {
            return await next(args);
        }
        catch (error) {
            if (error && typeof error === 'object')
                error.iamAction = action;
            throw error;
        }
    }, { step: 'initialize', name: 'cloudaeyeCallLog' });
    return client;
}


/***/ }),

/***/ 20904:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ consoleLinks)
/* harmony export */ });
/* harmony import */ var _partition_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(72947);
/**
 * Links into the AWS console for the job summary. Only the partitions below have a console reachable
 * from the public internet; for the others (the isolated aws-iso* partitions and any the SDK adds
 * later) there is no link rather than one that cannot open.
 */

const CONSOLE_DOMAINS = {
    aws: 'console.aws.amazon.com',
    'aws-cn': 'console.amazonaws.cn',
    'aws-us-gov': 'console.amazonaws-us-gov.com'
};
function consoleLink(region, path) {
    const domain = CONSOLE_DOMAINS[(0,_partition_js__WEBPACK_IMPORTED_MODULE_0__.partitionOf)(region).name];
    return domain ? `https://${region}.${domain}${path}` : undefined;
}
const consoleLinks = {
    securityGroup: (region, id) => consoleLink(region, `/ec2/home?region=${region}#SecurityGroup:groupId=${id}`),
    subnets: (region, vpcId) => consoleLink(region, `/vpcconsole/home?region=${region}#subnets:vpcId=${vpcId}`),
    taskDefinition: (region, family, revision) => consoleLink(region, `/ecs/v2/task-definitions/${family}/${revision}?region=${region}`),
    task: (region, cluster, taskId) => consoleLink(region, `/ecs/v2/clusters/${cluster}/tasks/${taskId}?region=${region}`),
    // IAM is global; any regional console host of the partition opens it.
    iamUser: (region, name) => consoleLink(region, `/iam/home#/users/details/${encodeURIComponent(name)}`),
    iamRole: (region, name) => consoleLink(region, `/iam/home#/roles/details/${encodeURIComponent(name)}`)
};


/***/ }),

/***/ 72947:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   partitionOf: () => (/* binding */ partitionOf)
/* harmony export */ });
/* harmony import */ var _aws_sdk_core_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5152);
/**
 * The AWS partition of a region, read from the partition table the installed AWS SDK resolves its own
 * endpoints with, so hosts built here agree with the SDK's for every partition it knows (an unknown
 * region falls back to `aws`, as in the SDK).
 */

function partitionOf(region) {
    const { name, dnsSuffix } = (0,_aws_sdk_core_client__WEBPACK_IMPORTED_MODULE_0__.partition)(region);
    return { name, dnsSuffix };
}


/***/ }),

/***/ 32038:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployToEcs: () => (/* binding */ deployToEcs)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(46058);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(35193);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var client_ecs_dist_cjs = __webpack_require__(80212);
// EXTERNAL MODULE: ./src/aws/clients.ts + 1 modules
var clients = __webpack_require__(96076);
// EXTERNAL MODULE: ./src/aws/console-links.ts
var console_links = __webpack_require__(20904);
// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(99378);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/inputs.ts + 3 modules
var inputs = __webpack_require__(30926);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(29810);
;// CONCATENATED MODULE: ./src/ecs/agent-task.ts
/**
 * The agent's standalone Fargate task: finding the ones that run, starting one, waiting until it
 * runs, and stopping the ones it replaces.
 */





/** Shown in the console as "started by"; ECS allows 36 characters. */
const STARTED_BY = 'cloudaeye-metrics-agent-action';
/** Tasks of the family that ECS means to keep running, oldest first. */
async function findAgentTasks(ecs, cluster, family) {
    const arns = [];
    let nextToken;
    do {
        const page = await ecs.send(new client_ecs_dist_cjs/* ListTasksCommand */.MYg({ cluster, family, desiredStatus: 'RUNNING', nextToken }));
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
        throw new src_errors/* ActionError */.l(`ecs:RunTask could not start the agent in cluster ${config.cluster}: ${reasons}`);
    }
    const task = answer.tasks?.[0];
    if (!task?.taskArn)
        throw new src_errors/* ActionError */.l('ecs:RunTask returned no task and no failure.');
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
        throw new src_errors/* ActionError */.l(`Agent task ${taskArn} is ${task?.lastStatus ?? 'not visible'} after ` +
            `${(0,poll/* formatElapsed */.C7)(elapsedMs)}, past wait-timeout. It may still start: a re-run reuses it. ` +
            `Raise 'wait-timeout' if pulls are slow, or check the task's events in the console.`);
    }
    return task;
}
async function stopTask(ecs, cluster, taskArn, reason) {
    await ecs.send(new client_ecs_dist_cjs/* StopTaskCommand */.PP1({ cluster, task: taskArn, reason }));
}

;// CONCATENATED MODULE: ./src/ecs/task-definition.ts
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

;// CONCATENATED MODULE: ./src/ecs/current-revisions.ts

class CurrentRevisions {
    ecs;
    desired;
    arn;
    verdicts = new Map();
    constructor(ecs, desired, arn) {
        this.ecs = ecs;
        this.desired = desired;
        this.arn = arn;
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

;// CONCATENATED MODULE: ./src/ecs/network.ts
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
    const pages = (0,dist_cjs/* paginateDescribeSubnets */.vvt)({ client: ec2 }, { Filters: [{ Name: 'vpc-id', Values: [config.vpcId] }] });
    for await (const page of pages)
        subnets.push(...(page.Subnets ?? []));
    if (subnets.length === 0)
        await failOnEmptyVpc(ec2, config);
    return subnets;
}
/** No subnets: tell a missing VPC from an empty one, since the fixes differ. */
async function failOnEmptyVpc(ec2, config) {
    try {
        await ec2.send(new dist_cjs/* DescribeVpcsCommand */.Dti({ VpcIds: [config.vpcId] }));
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) === 'InvalidVpcID.NotFound') {
            throw new src_errors/* ActionError */.l(`VPC ${config.vpcId} not found in region ${config.region}. Check 'vpc-id' and 'aws-region'.`);
        }
        throw error;
    }
    throw new src_errors/* ActionError */.l(`VPC ${config.vpcId} in region ${config.region} has no subnets. Create subnets in it, or ` +
        `give 'subnet-ids'.`);
}
async function describeGivenSubnets(ec2, config) {
    let subnets;
    try {
        const answer = await ec2.send(new dist_cjs/* DescribeSubnetsCommand */.jSW({ SubnetIds: config.subnetIds }));
        subnets = answer.Subnets ?? [];
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) === 'InvalidSubnetID.NotFound') {
            throw new src_errors/* ActionError */.l(`Input 'subnet-ids': ${error.message} (region ${config.region}). ` +
                `Give subnets of ${config.vpcId}.`);
        }
        throw error;
    }
    const foreign = subnets.filter(subnet => subnet.VpcId !== config.vpcId);
    if (foreign.length > 0) {
        const list = foreign.map(subnet => `${subnet.SubnetId} (${subnet.VpcId})`).join(', ');
        throw new src_errors/* ActionError */.l(`Input 'subnet-ids': ${list} not in ${config.vpcId}. Give subnets of that VPC.`);
    }
    return subnets;
}
/** The agent's own group in the VPC, found by name; undefined when it does not exist yet. */
async function findAgentSecurityGroup(ec2, config) {
    const answer = await ec2.send(new dist_cjs/* DescribeSecurityGroupsCommand */.jsQ({
        Filters: [
            { Name: 'vpc-id', Values: [config.vpcId] },
            { Name: 'group-name', Values: [config.agentName] }
        ]
    }));
    return answer.SecurityGroups?.[0]?.GroupId;
}
/** The user's groups must exist and belong to the VPC, or the task would fail to start later. */
async function checkGivenSecurityGroups(ec2, config, groupIds) {
    try {
        const answer = await ec2.send(new dist_cjs/* DescribeSecurityGroupsCommand */.jsQ({ GroupIds: groupIds }));
        const foreign = (answer.SecurityGroups ?? []).filter(group => group.VpcId !== config.vpcId);
        if (foreign.length > 0) {
            const list = foreign.map(group => `${group.GroupId} (${group.VpcId})`).join(', ');
            throw new src_errors/* ActionError */.l(`Input 'security-group-ids': ${list} not in ${config.vpcId}. Give groups of that VPC.`);
        }
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) === 'InvalidGroup.NotFound') {
            throw new src_errors/* ActionError */.l(`Input 'security-group-ids': ${error.message} (region ${config.region}).`);
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
        const answer = await ec2.send(new dist_cjs/* CreateSecurityGroupCommand */.x3C({
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
            throw new src_errors/* ActionError */.l('ec2:CreateSecurityGroup returned no GroupId.');
        return { id: answer.GroupId, createdHere: true };
    }
    catch (error) {
        if ((0,errors/* errorCode */.CA)(error) !== 'InvalidGroup.Duplicate')
            throw error;
        const id = await findAgentSecurityGroup(ec2, config);
        if (!id)
            throw error;
        return { id, createdHere: false };
    }
}

;// CONCATENATED MODULE: ./src/ecs/deploy.ts
/**
 * The ECS Fargate path: look everything up at once, fail before creating anything if the cluster
 * or network is wrong, then converge the security group, the task definition and the one agent task.
 */












async function deployToEcs(config, report, deps) {
    const settings = (0,clients/* clientConfig */.yO)(config.region, deps.signal);
    const ecs = (0,clients/* instrument */.wV)(new client_ecs_dist_cjs/* ECSClient */.Zgc(settings), 'ecs', deps.callLog);
    const ec2 = (0,clients/* instrument */.wV)(new dist_cjs/* EC2Client */.gu5(settings), 'ec2', deps.callLog);
    try {
        if (config.apiKey) {
            core/* warning */.$e('cloudaeye-api-key is stored in the task definition, where anyone allowed ' +
                'ecs:DescribeTaskDefinition can read it. Store it in Secrets Manager or SSM and pass ' +
                'cloudaeye-api-key-secret-arn instead.');
        }
        const found = await core/* group */.Os('Looking up cluster, network and task definition', () => lookUp(ecs, ec2, config));
        // With cloud services and no task-role-arn, the task definition names the role the action
        // provides, so the role comes first.
        const roleThenDefinition = async () => {
            const taskRoleArn = config.enableCloudServices && !config.taskRoleArn
                ? await (await Promise.all(/* import() */[__webpack_require__.e(290), __webpack_require__.e(8)]).then(__webpack_require__.bind(__webpack_require__, 13008))).provideEcsTaskRole(config, report, deps)
                : config.taskRoleArn;
            const desired = desiredTaskDefinition({ ...config, taskRoleArn });
            const arn = await settleTaskDefinition(ecs, config, report, found.latestDefinition, desired);
            return { desired, arn };
        };
        // Independent of each other, so one wave of calls; both settle before a failure is thrown,
        // so the summary lists whatever the other created.
        const [network, definition] = await core/* group */.Os('Security group and task definition', () => Promise.allSettled([settleNetwork(ec2, config, report, found), roleThenDefinition()]));
        if (network.status === 'rejected')
            throw network.reason;
        if (definition.status === 'rejected')
            throw definition.reason;
        const placement = network.value;
        const { desired, arn: taskDefinitionArn } = definition.value;
        const current = new CurrentRevisions(ecs, desired, taskDefinitionArn);
        await core/* group */.Os('Agent task', () => settleAgentTask(ecs, config, report, deps.clock, current, placement, found.tasks));
    }
    finally {
        ecs.destroy();
        ec2.destroy();
    }
}
/** Independent reads, concurrently; any of them failing stops the step with nothing created. */
async function lookUp(ecs, ec2, config) {
    const [tasks, subnets, agentGroupId, latestDefinition] = await Promise.all([
        findAgentTasks(ecs, config.cluster, config.agentName).catch(error => {
            if ((0,errors/* errorCode */.CA)(error) === 'ClusterNotFoundException') {
                throw new src_errors/* ActionError */.l(`ECS cluster '${config.cluster}' not found in region ${config.region}. Check 'cluster' ` +
                    `and 'aws-region', and that the credentials are for the cluster's account.`);
            }
            throw (0,errors/* explainAwsFailure */.vt)(error, `agent tasks in cluster ${config.cluster}`);
        }),
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
        })
    ]);
    if (subnets.ids.length < subnets.offered) {
        core/* info */.pq(`${config.vpcId} has ${subnets.offered} subnets, more than the ${inputs/* MAX_TASK_SUBNETS */.K7} RunTask ` +
            `takes: using ${subnets.ids.join(', ')}, chosen as the README describes. Set ` +
            `'subnet-ids' to choose others.`);
    }
    core/* info */.pq(`Found ${subnets.ids.length} subnet(s), ${tasks.length} agent task(s), ` +
        `task definition ${latestDefinition ? `revision ${latestDefinition.definition.revision}` : 'none'}.`);
    return { tasks, subnets, agentGroupId, latestDefinition };
}
async function settleNetwork(ec2, config, report, found) {
    const subnetIds = found.subnets.ids;
    report.record({
        kind: 'Subnets',
        id: subnetIds.join(', '),
        status: 'reused',
        link: console_links/* consoleLinks */.t.subnets(config.region, config.vpcId),
        note: config.subnetIds
            ? 'given'
            : found.subnets.ids.length < found.subnets.offered
                ? `${found.subnets.ids.length} of the ${found.subnets.offered} in ${config.vpcId}`
                : `all of ${config.vpcId}`
    });
    report.output('subnet-ids', subnetIds.join(','));
    let securityGroupIds = config.securityGroupIds;
    if (securityGroupIds) {
        for (const id of securityGroupIds) {
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
        let id = found.agentGroupId;
        let status = 'reused';
        if (!id) {
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
    const publicIp = config.assignPublicIp === 'auto'
        ? found.subnets.mapsPublicIp
        : config.assignPublicIp === 'enabled';
    return { subnetIds, securityGroupIds, assignPublicIp: publicIp ? 'ENABLED' : 'DISABLED' };
}
async function settleTaskDefinition(ecs, config, report, latest, desired) {
    const changes = latest ? taskDefinitionChanges(latest, desired) : [];
    let definition = latest?.definition;
    if (!definition || changes.length > 0) {
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
async function settleAgentTask(ecs, config, report, clock, current, placement, tasks) {
    try {
        let agent = (await current.of(tasks))[0];
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
        let everyAgent = tasks;
        if (status === 'created' && config.wait) {
            const kept = await keepOldestAgent(ecs, config, clock, agent, current);
            if (kept.agent.taskArn !== agent.taskArn)
                status = 'reused';
            agent = kept.agent;
            everyAgent = kept.everyAgent;
        }
        if (agent.lastStatus === 'STOPPED') {
            recordTask(report, config, agent, status);
            throw new src_errors/* ActionError */.l(`Agent task ${agent.taskArn} stopped before it ran: ${stoppedReasons(agent)}`);
        }
        recordTask(report, config, agent, status);
        const others = everyAgent.filter(task => task.taskArn !== agent.taskArn);
        if (agent.lastStatus !== 'RUNNING') {
            if (others.length > 0) {
                core/* info */.pq(`Leaving ${others.length} older agent task(s) until this one runs; a re-run stops them.`);
            }
            return;
        }
        for (const task of others) {
            await stopTask(ecs, config.cluster, task.taskArn, replacedBy(agent.taskArn));
            recordTask(report, config, task, 'stopped', `replaced by ${taskId(agent)}`);
        }
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
    const everyAgent = await findAgentTasks(ecs, config.cluster, config.agentName);
    const oldest = (await current.of(everyAgent))[0];
    if (!oldest || oldest.taskArn === ours.taskArn)
        return { agent: ours, everyAgent };
    core/* info */.pq(`A concurrent run started ${oldest.taskArn} first; keeping that one.`);
    const agent = oldest.lastStatus === 'RUNNING'
        ? oldest
        : await waitUntilSettled(ecs, config, oldest.taskArn, clock);
    return { agent, everyAgent };
}
function taskId(task) {
    return task.taskArn?.split('/').pop() ?? '';
}
function recordTask(report, config, task, status, note) {
    report.record({
        kind: 'Agent task',
        id: taskId(task),
        status,
        note: note ?? task.lastStatus,
        link: console_links/* consoleLinks */.t.task(config.region, config.clusterName, taskId(task))
    });
    if (status !== 'stopped')
        report.output('task-arn', task.taskArn ?? '');
}


/***/ })

};

//# sourceMappingURL=38.index.js.map