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
