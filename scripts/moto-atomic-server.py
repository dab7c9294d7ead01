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

Usage: moto-atomic-server.py HOST PORT
"""
import os
import signal
import sys
import threading

from moto.core.responses import EmptyResult
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


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    # moto builds some URLs (queue URLs, presigned links) from it, as its own launcher sets it.
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    add_user_permissions_boundaries()
    add_oidc_provider_audiences()
    give_each_eks_cluster_its_own_issuer()
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
