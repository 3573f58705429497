#!/usr/bin/env bash
# The Kubernetes API with the real kubectl (/usr/bin/kubectl, 1.32) against
# a real master and agent: version and api-resources; the seed's YAML as
# the article prints it (refused by kubectl itself at line 14), half
# mended (400 under Strict naming the unknown fields, 422 under
# --validate=false naming spec.selector and the containers), corrected
# (created, its image failing clearly), and with a command (running, its
# pods listed); apply again (configured, then unchanged), --server-side,
# scale, get -o json/jsonpath/yaml, --dry-run=server, delete; and the same
# state through /v2/apps. Usage: kubectl_test.sh PATH_TO_REGATTA [kafka]
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)  # before lib.sh cds away
source "$here/lib.sh" "$@"

command -v kubectl >/dev/null || { echo "FAIL kubectl is not installed (scripts/install-deps installs it)"; exit 1; }
"$regatta" "${log_args[@]}" master --listen "127.0.0.1:$port" --http "127.0.0.1:$http" --kube-http "127.0.0.1:$kube" >>master.log 2>&1 &
pids+=("$!"); disown
"$regatta" agent --master "127.0.0.1:$port" --work-dir a0 --hostname 127.0.0.1 --ports "$base-$((base + 99))" \
  --cpus 4 --mem 4096 >>agent.log 2>&1 &
pids+=("$!"); disown

export HOME=$work  # kubectl's discovery cache, this test's alone
cat >kubeconfig <<EOC
apiVersion: v1
kind: Config
clusters:
- name: t
  cluster: {server: "http://127.0.0.1:$kube"}
contexts:
- name: t
  context: {cluster: t, user: t, namespace: default}
current-context: t
users:
- name: t
  user: {}
EOC
export KUBECONFIG=$work/kubeconfig
api="http://127.0.0.1:$http"
K() { kubectl "$@" >out.txt 2>&1; }  # K ARGS...: kubectl's exit code; its output in out.txt
expect_out() { grep -q -- "$2" out.txt && ok || fail "$1: wanted '$2' in: $(head -c 600 out.txt)"; }
app_field() { curl -s "$api/v2/apps/default/hello-world" | python3 -c "import json,sys; print(json.load(sys.stdin)['app'].get('$1'))"; }

version_ok() { K version && grep -q 'Server Version: v1.32' out.txt; }
wait_for 20 version_ok && ok || fail "kubectl version: $(cat out.txt)"
K api-resources && ok || fail "api-resources: $(cat out.txt)"
expect_out "deployments are served" "deployments .*deploy .*apps/v1 .*true .*Deployment"

# ---------------------------------------------------------------- the seed's YAML, as printed
examples=$here/../../docs/examples
cp "$examples/hello-kubernetes-as-printed.yaml" broken.yaml
K apply -f broken.yaml && fail "kubectl applied the broken seed" || ok
expect_out "kubectl refuses it at line 14" "yaml: line 14: mapping values are not allowed in this context"
status=$(curl -s -o body.json -w '%{http_code}' -X POST "http://127.0.0.1:$kube/apis/apps/v1/namespaces/default/deployments" \
  -H 'Content-Type: application/yaml' --data-binary @broken.yaml)
[ "$status" = 400 ] && grep -q 'yaml: line 14' body.json && ok || fail "the same bytes posted: $status $(head -c 300 body.json)"

printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hello-world\nreplicas: 1\ntemplate:\n  metadata:\n    labels: {app: hello-world}\n' >flat.yaml
K apply -f flat.yaml && fail "the flat spec was applied" || ok
expect_out "Strict names the unknown fields" 'strict decoding error: unknown field "replicas", unknown field "template"'
K apply --validate=false -f flat.yaml && fail "the flat spec was applied without validation" || ok
expect_out "Ignore names the selector" "spec.selector: Required value"
expect_out "and the containers" "spec.template.spec.containers: Required value"

# ---------------------------------------------------------------- the corrected seed: its image needs containers
grep -v "^#" "$examples/hello-kubernetes.yaml" >seed.yaml
K apply -f seed.yaml && ok || fail "apply the corrected seed: $(cat out.txt)"
expect_out "created" "deployment.apps/hello-world created"
expect_out "with a warning about its selector" "Warning: spec.selector was not set"
image_fails() { curl -s "$api/v2/apps/default/hello-world" | grep -q 'needs a container runtime'; }
wait_for 30 image_fails && ok || fail "the image does not fail clearly: $(curl -s "$api/v2/apps/default/hello-world" | head -c 400)"

# ---------------------------------------------------------------- with a command it runs
sed 's|        image: hello-world:latest|        image: hello-world:latest\n        command: ["sh", "-c", "exec python3 -m http.server --bind 127.0.0.1 $PORT0"]\n        readinessProbe:\n          httpGet: {path: /, port: 9001}\n          periodSeconds: 1|' seed.yaml >run.yaml
K apply -f run.yaml && ok || fail "apply with a command: $(cat out.txt)"
expect_out "configured" "deployment.apps/hello-world configured"
ready() { K get deploy hello-world -o 'jsonpath={.status.readyReplicas}/{.status.updatedReplicas}' && [ "$(cat out.txt)" = 1/1 ]; }
wait_for 30 ready && ok || fail "not ready: $(cat out.txt)"
K get pods -l app=hello-world -o jsonpath='{.items[*].status.phase}' && [ "$(cat out.txt)" = Running ] && ok || fail "pods: $(cat out.txt)"
K apply -f run.yaml && ok || fail "apply again: $(cat out.txt)"
expect_out "unchanged" "deployment.apps/hello-world unchanged"
[ "$(app_field args)" = "['sh', '-c', 'exec python3 -m http.server --bind 127.0.0.1 \$PORT0']" ] && ok || fail "Marathon sees: $(app_field args)"

K scale deployment hello-world --replicas=3 && ok || fail "scale: $(cat out.txt)"
three() { K get deploy hello-world -o 'jsonpath={.status.readyReplicas}' && [ "$(cat out.txt)" = 3 ]; }
wait_for 30 three && ok || fail "not three ready: $(cat out.txt)"
[ "$(app_field instances)" = 3 ] && ok || fail "Marathon's instances: $(app_field instances)"
K get deployments && ok || fail "get deployments: $(cat out.txt)"
expect_out "get prints kubectl's columns" "^hello-world  *3/3  *3  *3  *[0-9]"
K get pods -o wide && ok || fail "get pods -o wide: $(cat out.txt)"
[ "$(grep -c ' 1/1  *Running  *0  *[0-9].* 127\.0\.0\.1 ' out.txt)" = 3 ] && ok || fail "three running pods in the table: $(cat out.txt)"
K get deploy hello-world -o jsonpath='{.metadata.generation}' && [ "$(cat out.txt)" = 3 ] && ok || fail "generation: $(cat out.txt)"
K get deploy hello-world -o yaml && ok || fail "-o yaml: $(cat out.txt)"
expect_out "-o yaml shows the selector" "app: hello-world"

sed 's/replicas: 1/replicas: 2/' run.yaml >two.yaml
K apply --dry-run=server -f two.yaml && ok || fail "dry run: $(cat out.txt)"
[ "$(app_field instances)" = 3 ] && ok || fail "a server dry run changed the app: $(app_field instances)"
K apply --server-side --force-conflicts -f two.yaml && ok || fail "server-side apply: $(cat out.txt)"
two() { [ "$(app_field instances)" = 2 ]; }
wait_for 10 two && ok || fail "server-side apply did not scale: $(app_field instances)"

K delete -f two.yaml && ok || fail "delete: $(cat out.txt)"
expect_out "deleted" 'deployment.apps "hello-world" deleted'
gone() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$api/v2/apps/default/hello-world")" = 404 ]; }
wait_for 10 gone && ok || fail "the app outlived its Deployment"
K get deploy hello-world && fail "a deleted Deployment is still there" || ok
expect_out "NotFound" 'deployments.apps "hello-world" not found'

finish kubectl master.log agent.log
