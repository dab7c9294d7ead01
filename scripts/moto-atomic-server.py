"""moto's server with each API call handled whole before the next one starts.

AWS applies every API call atomically: of two CreateStack calls for one name, one creates the stack
and the other gets AlreadyExistsException. moto's threaded server does not: under load both calls
pass its name check, both store a stack, and the second fails half-way on a resource the first made,
leaving a stack that stays CREATE_IN_PROGRESS forever, a state AWS never shows. Serialising the
calls gives the tests AWS's per-call atomicity while runs still race between calls.

It also gives IAM users the permissions boundary AWS has and moto lacks (see
add_user_permissions_boundaries), the audiences of an IAM OIDC provider that moto cannot change (see
add_oidc_provider_audiences), and each EKS cluster an OIDC issuer of its own, as EKS does (see
give_each_eks_cluster_its_own_issuer), so that the action's use of them runs against the emulator.
And a stopped Fargate task's network interface is released a little later, as AWS does it, and
a security group that an interface uses cannot be deleted (see release_stopped_task_interfaces),
and ListTaskDefinitionFamilies filters by status (see filter_task_definition_families_by_status).
An ECS service runs its tasks, deploys, drains and refuses a second service of its name as ECS
does (see schedule_service_tasks).

Usage: moto-atomic-server.py HOST PORT
"""
import os
import signal
import sys
import threading

from moto.core.responses import EmptyResult
from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.models import elastic_network_interfaces as eni_models
from moto.ec2.models import security_groups as security_group_models
from moto.core.responses import ActionResult
from moto.ecs import models as ecs_models
from moto.ecs import responses as ecs_responses
from moto.eks import models as eks_models
from moto.iam import models as iam_models
from moto.iam import responses as iam_responses
from moto.iam.exceptions import InvalidInput, NoSuchEntity
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


def one_call_at_a_time(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        with lock:
            # The body is produced inside the lock too: moto may build it lazily.
            return list(app(environ, start_response))

    return handle


def add_user_permissions_boundaries():
    """IAM users' permissions boundary, as the IAM API reference describes it.

    moto keeps boundaries for roles only: it ignores CreateUser's PermissionsBoundary, leaves it out
    of GetUser, and has no PutUserPermissionsBoundary or DeleteUserPermissionsBoundary. Here a user
    keeps the boundary ARN it is given (checked against moto's own policy-ARN rule, as for roles),
    and GetUser and CreateUser return it as AWS does; ListUsers leaves it out, as AWS does.
    """
    iam_models.User.permissions_boundary_arn = None
    iam_models.User.permissions_boundary = property(
        lambda user: {
            "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
            "PermissionsBoundaryArn": user.permissions_boundary_arn,
        }
        if user.permissions_boundary_arn
        else None
    )
    responses = iam_responses.IamResponse
    for path in ("CreateUserResponse.User", "GetUserResponse.User"):
        responses.RESPONSE_KEY_PATH_TO_TRANSFORMER[f"{path}.PermissionsBoundary"] = (
            iam_responses.return_if_not_empty
        )
    responses.RESPONSE_KEY_PATH_TO_TRANSFORMER[
        "ListUsersResponse.Users.User.PermissionsBoundary"
    ] = iam_responses.never_return

    def check_boundary(response, boundary):
        if boundary and not response.backend.policy_arn_regex.match(boundary):
            raise InvalidInput(f"ARN {boundary} is not valid.")

    def set_boundary(response, boundary):
        check_boundary(response, boundary)
        user = response.backend.get_user(response._get_param("UserName"))
        user.permissions_boundary_arn = boundary or None

    create_user = responses.create_user

    def create_user_with_boundary(self):
        boundary = self._get_param("PermissionsBoundary")
        check_boundary(self, boundary)
        result = create_user(self)
        set_boundary(self, boundary)
        return result

    def put_user_permissions_boundary(self):
        set_boundary(self, self._get_param("PermissionsBoundary"))
        return EmptyResult()

    def delete_user_permissions_boundary(self):
        user = self.backend.get_user(self._get_param("UserName"))
        if not user.permissions_boundary_arn:
            raise NoSuchEntity(f"The user {user.name} has no permissions boundary.")
        user.permissions_boundary_arn = None
        return EmptyResult()

    responses.create_user = create_user_with_boundary
    responses.put_user_permissions_boundary = put_user_permissions_boundary
    responses.delete_user_permissions_boundary = delete_user_permissions_boundary


def add_oidc_provider_audiences():
    """AddClientIDToOpenIDConnectProvider and RemoveClientIDFromOpenIDConnectProvider, which moto
    lacks, as the IAM API reference describes them: adding a client ID the provider has, or
    removing one it lacks, succeeds and changes nothing."""
    responses = iam_responses.IamResponse

    def provider_of(response):
        arn = response._get_param("OpenIDConnectProviderArn")
        return response.backend.get_open_id_connect_provider(arn)

    def add_client_id(self):
        provider = provider_of(self)
        client_id = self._get_param("ClientID")
        if client_id not in provider.client_id_list:
            provider.client_id_list.append(client_id)
        return EmptyResult()

    def remove_client_id(self):
        provider = provider_of(self)
        client_id = self._get_param("ClientID")
        if client_id in provider.client_id_list:
            provider.client_id_list.remove(client_id)
        return EmptyResult()

    responses.add_client_id_to_open_id_connect_provider = add_client_id
    responses.remove_client_id_from_open_id_connect_provider = remove_client_id


def give_each_eks_cluster_its_own_issuer():
    """moto draws one random issuer ID when it is imported, so every cluster of a region shares
    one OIDC issuer; EKS gives each cluster its own, and an IAM OIDC provider per issuer."""
    cluster_init = eks_models.Cluster.__init__

    def init_with_own_issuer(self, *args, **kwargs):
        cluster_init(self, *args, **kwargs)
        region = self.arn.split(":")[3]
        issuer_id = os.urandom(16).hex().upper()
        self.identity = {
            "oidc": {"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{issuer_id}"}
        }

    eks_models.Cluster.__init__ = init_with_own_issuer


def release_stopped_task_interfaces():
    """The network interface of an awsvpc task, as ECS handles it: released after the task stops,
    and until then it holds its security groups, which EC2 refuses to delete (DependencyViolation).

    moto keeps a task's interface forever, even after StopTask, and deletes a security group that
    interfaces still use. Here a stopped task's interface is still listed by the first
    DescribeNetworkInterfaces after the task stopped, as AWS keeps it a while, and is gone from
    the next one on; and DeleteSecurityGroup fails while any interface uses the group.
    """
    seen_after_stop = set()
    list_interfaces = eni_models.NetworkInterfaceBackend.get_all_network_interfaces

    def release(backend):
        tasks = ecs_models.ecs_backends[backend.account_id][backend.region_name].tasks
        for cluster_tasks in tasks.values():
            for task in cluster_tasks.values():
                if task.status != "STOPPED":
                    continue
                for attachment in task.attachments:
                    for detail in attachment.get("details", []):
                        eni_id = detail["value"]
                        if detail["name"] != "networkInterfaceId" or eni_id not in backend.enis:
                            continue
                        if eni_id in seen_after_stop:
                            backend.enis.pop(eni_id)
                        else:
                            seen_after_stop.add(eni_id)

    def get_all_network_interfaces(self, eni_ids=None, filters=None):
        release(self)
        return list_interfaces(self, eni_ids, filters)

    delete_group = security_group_models.SecurityGroupBackend.delete_security_group

    def delete_security_group(self, name=None, group_id=None):
        group = self.get_security_group_by_name_or_id(group_id or name)
        if group is not None:
            users = [eni.id for eni in self.enis.values() if group in eni._group_set]
            if users:
                raise DependencyViolationError(
                    f"resource {group.id} has a dependent object ({', '.join(sorted(users))})"
                )
        return delete_group(self, name=name, group_id=group_id)

    eni_models.NetworkInterfaceBackend.get_all_network_interfaces = get_all_network_interfaces
    security_group_models.SecurityGroupBackend.delete_security_group = delete_security_group


def filter_task_definition_families_by_status():
    """ListTaskDefinitionFamilies' status filter, which moto ignores, as the ECS API reference
    describes it: ACTIVE lists the families with an ACTIVE revision, INACTIVE those with none (but
    some revision left), and ALL or no status every family that has a revision. moto lists a
    family even once its every revision was deleted."""
    responses = ecs_responses.EC2ContainerServiceResponse

    def list_task_definition_families(self):
        prefix = self._get_param("familyPrefix")
        status = self._get_param("status") or "ALL"
        families = []
        for family in self.ecs_backend.list_task_definition_families(prefix):
            statuses = {d.status for d in self.ecs_backend.task_definitions[family].values()}
            active = "ACTIVE" in statuses
            if not statuses or (status == "ACTIVE" and not active):
                continue
            if status == "INACTIVE" and (active or "INACTIVE" not in statuses):
                continue
            families.append(family)
        return ActionResult({"families": families})

    responses.list_task_definition_families = list_task_definition_families


def schedule_service_tasks():
    """An ECS service's scheduler, as the ECS developer guide describes it, which moto lacks.

    moto stores a service but starts no task for it, reports made-up running counts, and lets
    CreateService overwrite a service of the same name. Here a service keeps `desiredCount` tasks
    of its task definition running (group `service:<name>`, started by the deployment's ID, on the
    service's network, tags propagated), starting another when one stops; an UpdateService that
    changes the task definition or the network starts a new PRIMARY deployment, whose rollout is
    COMPLETED once its tasks run, and then the older deployments' tasks are stopped. DeleteService
    leaves the service DRAINING until its tasks stopped (and one look more), then INACTIVE. CreateService fails while
    a service of that name is ACTIVE (unless the client token is the same) or DRAINING, and keeps
    the deployment configuration and managed-tags setting it was given. The scheduler acts
    whenever a service or task is read or changed, which is when a client could notice it.
    """
    from moto.ecs.exceptions import InvalidParameterException

    backend_class = ecs_models.EC2ContainerServiceBackend
    responses = ecs_responses.EC2ContainerServiceResponse

    def service_tasks(backend, service):
        group = f"service:{service.name}"
        tasks = backend.tasks.get(service.cluster_name, {}).values()
        found = []
        for task in tasks:
            if task.group != group or task.desired_status != "RUNNING":
                continue
            if task.status == "STOPPED":
                # It stopped on its own: the scheduler counts it out and starts another.
                task.desired_status = "STOPPED"
                task.stopped_reason = task.stopped_reason or "Essential container in task exited"
                continue
            found.append(task)
        return found

    def stop(backend, service, task, reason):
        backend.stop_task(service.cluster_name, task.task_arn, reason)

    def new_deployment(service):
        for deployment in service.deployments:
            deployment["status"] = "ACTIVE"
        deployment_id = f"ecs-svc/{int.from_bytes(os.urandom(8), 'big')}"
        service.deployments.insert(
            0,
            {
                "id": deployment_id,
                "status": "PRIMARY",
                "taskDefinition": service.task_definition,
                "desiredCount": service.desired_count,
                "pendingCount": 0,
                "runningCount": 0,
                "failedTasks": 0,
                "launchType": service.launch_type,
                "networkConfiguration": service.network_configuration,
                "rolloutState": "IN_PROGRESS",
                "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
            },
        )

    def reconcile(backend, service):
        tasks = service_tasks(backend, service)
        if service.status != "ACTIVE":
            for task in tasks:
                stop(backend, service, task, "Service deleted")
            # ECS takes a while to stop a task; moto stops it at once. The service drains for one
            # more look after its last task stopped, so that a client can see it DRAINING.
            if service.status == "DRAINING" and not tasks:
                if getattr(service, "drained", False):
                    service.status = "INACTIVE"
                service.drained = True
            service.running_count = service.pending_count = 0
            return
        primary = service.deployments[0] if service.deployments else None
        if (
            primary is None
            or primary["taskDefinition"] != service.task_definition
            or primary.get("networkConfiguration") != service.network_configuration
        ):
            new_deployment(service)
            primary = service.deployments[0]
        primary["desiredCount"] = service.desired_count
        ours = [task for task in tasks if task.started_by == primary["id"]]
        for task in ours[service.desired_count :]:
            stop(backend, service, task, "Scaling activity initiated by the service")
        ours = ours[: service.desired_count]
        if len(ours) < service.desired_count:
            definition = backend.describe_task_definition(service.task_definition)
            tags = list(
                definition.tags or []
                if service.propagate_tags == "TASK_DEFINITION"
                else service.tags
                if service.propagate_tags == "SERVICE"
                else []
            )
            if getattr(service, "enable_ecs_managed_tags", False):
                tags += [
                    {"key": "aws:ecs:serviceName", "value": service.name},
                    {"key": "aws:ecs:clusterName", "value": service.cluster_name},
                ]
            ours += backend.run_task(
                service.cluster_name,
                service.task_definition,
                service.desired_count - len(ours),
                None,
                primary["id"],
                tags,
                "FARGATE",
                networking_configuration=service.network_configuration,
                group=f"service:{service.name}",
            )
        running = [task for task in ours if task.status == "RUNNING"]
        if len(running) >= service.desired_count:
            for task in tasks:
                if task.started_by != primary["id"]:
                    stop(backend, service, task, f"Replaced by deployment {primary['id']}")
            service.deployments = [primary]
            if primary["rolloutState"] == "IN_PROGRESS":
                primary["rolloutState"] = "COMPLETED"
                primary["rolloutStateReason"] = f"ECS deployment {primary['id']} completed."
        primary["runningCount"] = len(running)
        primary["pendingCount"] = len(ours) - len(running)
        service.running_count = len(
            [task for task in service_tasks(backend, service) if task.status == "RUNNING"]
        )
        service.pending_count = max(service.desired_count - service.running_count, 0)

    def reconcile_cluster(backend, cluster_str):
        name = (cluster_str or "default").split("/")[-1]
        for service in list(backend.services.values()):
            if service.cluster_name == name:
                reconcile(backend, service)

    create = backend_class.create_service

    def create_service(self, cluster_str, service_name, *args, **kwargs):
        cluster = self._get_cluster(cluster_str)
        existing = self.services.get(f"{cluster.name}:{service_name}")
        if existing is not None:
            reconcile(self, existing)
            token = getattr(self, "_client_token", None)
            if existing.status == "ACTIVE":
                if token and token == getattr(existing, "client_token", None):
                    return existing
                raise InvalidParameterException("Creation of service was not idempotent.")
            if existing.status == "DRAINING":
                raise InvalidParameterException("Unable to Start a service that is still Draining.")
        service = create(self, cluster_str, service_name, *args, **kwargs)
        service.client_token = getattr(self, "_client_token", None)
        service.deployments = []
        return service

    def create_service_response(self):
        self.ecs_backend._client_token = self._get_param("clientToken")
        try:
            result = created(self)
        finally:
            self.ecs_backend._client_token = None
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        if getattr(service, "deployment_configuration", None) is None or not service.deployments:
            service.deployment_configuration = self._get_param("deploymentConfiguration")
            service.enable_ecs_managed_tags = bool(self._get_param("enableECSManagedTags"))
        reconcile(self.ecs_backend, service)
        return result

    created = responses.create_service

    update = backend_class.update_service

    def update_service(self, properties):
        cluster_str = properties.get("cluster", "default")
        name = properties["service"].split("/")[-1]
        if "task_definition" in properties and properties["task_definition"]:
            properties["task_definition"] = self.describe_task_definition(
                properties["task_definition"]
            ).arn
        service = update(self, properties)
        reconcile(self, self._get_service(cluster_str, name))
        return service

    delete = backend_class.delete_service

    def delete_service(self, cluster_name, service_name, force):
        service = delete(self, cluster_name, service_name, force)
        service.status = "DRAINING"
        service.desired_count = 0
        reconcile(self, service)
        return service

    describe_services = backend_class.describe_services

    def describe_services_scheduled(self, cluster_str, names):
        services, failures = describe_services(self, cluster_str, names)
        for service in services:
            reconcile(self, service)
        return services, failures

    list_tasks = backend_class.list_tasks

    def list_tasks_scheduled(self, cluster_str=None, *args, **kwargs):
        if cluster_str:
            reconcile_cluster(self, cluster_str)
        return list_tasks(self, cluster_str, *args, **kwargs)

    describe_tasks = backend_class.describe_tasks

    def describe_tasks_scheduled(self, cluster_str, tasks):
        described = describe_tasks(self, cluster_str, tasks)
        reconcile_cluster(self, cluster_str)
        return described

    list_services = backend_class.list_services

    def list_active_services(self, cluster_str, *args, **kwargs):
        # ListServices leaves out DRAINING and INACTIVE services, as the API reference says.
        arns = list_services(self, cluster_str, *args, **kwargs)
        active = {s.arn for s in self.services.values() if s.status == "ACTIVE"}
        return [arn for arn in arns if arn in active]

    backend_class.create_service = create_service
    backend_class.update_service = update_service
    backend_class.delete_service = delete_service
    backend_class.describe_services = describe_services_scheduled
    backend_class.list_tasks = list_tasks_scheduled
    backend_class.describe_tasks = describe_tasks_scheduled
    backend_class.list_services = list_active_services
    responses.create_service = create_service_response


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    # moto builds some URLs (queue URLs, presigned links) from it, as its own launcher sets it.
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    add_user_permissions_boundaries()
    add_oidc_provider_audiences()
    give_each_eks_cluster_its_own_issuer()
    release_stopped_task_interfaces()
    filter_task_definition_families_by_status()
    schedule_service_tasks()
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True
    run_simple(
        host,
        port,
        one_call_at_a_time(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
