"""Debian's python3-marathon (0.13), unmodified, drives Regatta's Marathon API.

Run under /usr/bin/python3 (where Debian installs the module) by
tests/cluster/python_marathon_test.sh, against a running master and agent:
    python_marathon_client.py http://127.0.0.1:PORT
Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the
number of failures.
"""
import sys
import threading
import time

from marathon import MarathonClient
from marathon.exceptions import MarathonHttpError, NotFoundError
from marathon.models import MarathonApp, MarathonConstraint

failures = 0


def check(name, condition, detail=""):
    global failures
    if condition:
        print("ok", name)
    else:
        failures += 1
        print("FAIL", name + (": " + str(detail) if detail else ""))


def eventually(predicate, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # the app may not be readable yet
            pass
        time.sleep(0.3)
    return False


client = MarathonClient(sys.argv[1])
APP = "/py/web"

check("ping", b"pong" in client.ping(), client.ping())
info = client.get_info()
check("info names the leader", info.leader == client.get_leader()["leader"], info.leader)
check("leader", ":" in client.get_leader()["leader"])

# Events, read from the start, on a thread (the generator blocks).
seen = []


def listen():
    try:
        for event in client.event_stream(event_types=["deployment_info", "status_update_event"]):
            seen.append(event)
    except Exception as e:  # the stream ends with the test
        seen.append(e)


threading.Thread(target=listen, daemon=True).start()
time.sleep(0.5)

app = MarathonApp(cmd="exec python3 -m http.server $PORT0", cpus=0.1, mem=32, instances=1,
                  labels={"team": "py"}, constraints=[MarathonConstraint("hostname", "CLUSTER", "127.0.0.1")])
created = client.create_app(APP, app)
check("create_app answers the app (201)", created and created.id == APP, created)
try:
    client.create_app(APP, app)
    check("a second create_app is refused", False, "accepted")
except MarathonHttpError as e:
    check("a second create_app is refused with 409", e.status_code == 409, e.status_code)


def running(n):
    got = client.get_app(APP)
    return got.tasks_running == n and len(got.tasks) == n


check("the app runs", eventually(lambda: running(1)))
got = client.get_app(APP, embed_tasks=True)
check("get_app", got.id == APP and got.labels == {"team": "py"} and got.constraints[0].operator == "CLUSTER",
      got.to_json())
check("list_apps", APP in [a.id for a in client.list_apps()])
check("get_group", [a.id for a in client.get_group("/py").apps] == [APP])
check("list_groups", "/py" in [g.id for g in client.list_groups()])
check("list_apps by label", [a.id for a in client.list_apps(label="team==py")] == [APP])
check("list_apps with tasks", len(client.list_apps(app_id="py", embed_tasks=True)[0].tasks) == 1)

client.scale_app(APP, instances=2)
check("scale_app", eventually(lambda: running(2)))
check("scaling adds no version", len(client.list_versions(APP)) == 1, client.list_versions(APP))

def converged():
    return not [d for d in client.list_deployments() if APP in d.affected_apps]


check("the scale's deployment ends", eventually(converged))
update = client.get_app(APP)
update.cmd = "exec python3 -m http.server --bind 127.0.0.1 $PORT0"
result = client.update_app(APP, update)
check("update_app answers a deployment", "deploymentId" in result, result)
versions = client.list_versions(APP)
check("the update is a new version", len(versions) == 2, versions)
first = client.get_version(APP, versions[0])
check("get_version", first.cmd == "exec python3 -m http.server $PORT0", first.to_json())
check("the update's deployment ends", eventually(converged))

tasks = client.list_tasks(APP)
check("list_tasks", len(tasks) == 2 and all(t.app_id == APP for t in tasks), tasks)
check("list_endpoints", len([e for e in client.list_endpoints() if e.app_id == APP]) == 2)
killed = client.kill_task(APP, tasks[0].id, scale=True)
check("kill_task with scale", isinstance(killed, dict) and "deploymentId" in killed, killed)
check("scaled down to 1", eventually(lambda: client.get_app(APP).instances == 1 and running(1)))
remaining = client.list_tasks(APP)[0].id
check("kill_given_tasks", client.kill_given_tasks([remaining]))
check("the killed task is replaced", eventually(lambda: running(1) and client.list_tasks(APP)[0].id != remaining))
check("kill_tasks", eventually(converged) and len(client.kill_tasks(APP)) == 1)

check("list_queue", isinstance(client.list_queue(), list))

# Bad input: Marathon's 422 with the field.
try:
    client.create_app("/py/bad", MarathonApp(cmd="true", cpus=-1, mem=32))
    check("a bad app is refused", False, "accepted")
except MarathonHttpError as e:
    paths = [d.get("path") for d in (e.error_details or [])]
    check("a bad app is refused with 422 naming the field", e.status_code == 422 and "/cpus" in paths,
          (e.status_code, e.error_message, e.error_details))
check("the refused app was not created", "/py/bad" not in [a.id for a in client.list_apps()])

try:
    client.get_app("/py/nothing")
    check("an unknown app is 404", False, "found")
except NotFoundError:
    check("an unknown app is 404", True)

check("events: deployment_info and status updates arrived",
      eventually(lambda: {type(e).__name__ for e in seen} >= {"MarathonDeploymentInfo", "MarathonStatusUpdateEvent"}, 10),
      [type(e).__name__ for e in seen][:10])
check("events: no error ended the stream", not [e for e in seen if isinstance(e, Exception)],
      [e for e in seen if isinstance(e, Exception)])

# Groups: create (with a dependency), update, scale, the bad cases, delete.
from marathon.models.group import MarathonGroup  # noqa: E402


def small(app_id):
    return MarathonApp(id=app_id, cmd="sleep 1000", cpus=0.01, mem=8)


shop = MarathonGroup(id="/pyshop", apps=[small("db")],
                     groups=[MarathonGroup(id="web", dependencies=["../db"], apps=[small("api")])])
created = client.create_group(shop)
check("create_group", "version" in created and "deploymentId" in created, created)
web = client.get_group("/pyshop/web")
check("get_group shows the dependency, resolved", web.dependencies == ["/pyshop/db"], web.dependencies)
check("and the app, resolved", [a.id for a in web.apps] == ["/pyshop/web/api"], [a.id for a in web.apps])
try:
    client.create_group(MarathonGroup(id="/pycycle", apps=[
        MarathonApp(id="a", cmd="sleep 1", cpus=0.01, mem=8, dependencies=["b"]),
        MarathonApp(id="b", cmd="sleep 1", cpus=0.01, mem=8, dependencies=["a"])]))
    check("a cycle is refused", False, "accepted")
except MarathonHttpError as e:
    errors = [x for d in (e.error_details or []) for x in d.get("errors", [])]
    check("a cycle is refused with 422 naming it", e.status_code == 422 and any("a cycle" in x for x in errors),
          (e.status_code, e.error_details))
check("the refused group was not created", "/pycycle" not in [g.id for g in client.list_groups()])
updated = client.update_group("/pyshop", MarathonGroup(dependencies=[], apps=[small("db"), small("cache")]), force=True)
check("update_group", "deploymentId" in updated, updated)
check("update_group added an app", "/pyshop/cache" in [a.id for a in client.get_group("/pyshop").apps])
client.scale_group("/pyshop/web", 2)
check("scale_group", client.get_app("/pyshop/web/api").instances == 2)
deleted = client.delete_group("/pyshop", force=True)
check("delete_group", "version" in deleted, deleted)
try:
    client.get_group("/pyshop")
    check("a deleted group is 404", False, "found")
except NotFoundError:
    check("a deleted group is 404", True)

client.delete_app(APP, force=True)
check("delete_app", eventually(lambda: APP not in [a.id for a in client.list_apps()]))
sys.exit(failures)
