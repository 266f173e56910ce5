#!/usr/bin/env bash
# A private Kubernetes control plane for tests: etcd, kube-apiserver, kube-controller-manager
# (allocating node podCIDRs) and optionally kube-scheduler, all in one directory, all stopped by PID.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly ME=k8s-control-plane.sh
readonly EXIT_MISSING_PREREQ=3

usage() {
    cat <<'USAGE'
Usage: scripts/lib/k8s-control-plane.sh start [options]
       scripts/lib/k8s-control-plane.sh stop --dir DIR [--keep]
       scripts/lib/k8s-control-plane.sh kubeconfig --dir DIR --user CN [--group O] --out FILE
       scripts/lib/k8s-control-plane.sh kubeconfig --dir DIR --service-account NS/NAME --out FILE
       scripts/lib/k8s-control-plane.sh -h|--help

start   Starts etcd, kube-apiserver and kube-controller-manager (and kube-scheduler with
        --with-scheduler), waits until the API server is ready and the controller manager
        has created the 'default' service account, and prints DIR (the only line on stdout).
        On failure it stops whatever it started, prints the logs' tails and exits non-zero.
  --dir DIR              where everything lives (must not exist, or be empty); default: a new
                         mktemp dir /tmp/cnisharp-k8s.XXXXXX
  --netns NAME           run every process inside the existing network namespace NAME
                         (nsenter --net=/run/netns/NAME), e.g. a router namespace that node
                         namespaces reach; default: the caller's network namespace
  --address IP           the API server's bind and advertise address, already present in that
                         namespace (default 127.0.0.1); etcd always listens on 127.0.0.1 there
  --port N               the API server's secure port (default: a free one in 20000-39999)
  --cluster-cidr CIDRS   pod CIDRs node podCIDRs are allocated from
                         (default 10.244.0.0/16,fd00:10:244::/56; one family = single stack)
  --node-cidr-size V4[,V6]  node podCIDR prefix lengths (default 24,64)
  --service-cidr CIDRS   (default 10.96.0.0/16,fd00:10:96::/112, same families as the pods)
  --with-scheduler       also run kube-scheduler
  --bin-dir DIR          the Kubernetes binaries (default: scripts/lib/build-kubernetes.sh,
                         which builds them once into a cache outside the repository)

stop    Stops every process 'start' recorded in DIR/pids (SIGTERM, SIGKILL after 10 s; only a
        PID whose command line still names DIR) and removes DIR (--keep: keeps it, for logs).

kubeconfig
        Writes FILE: a kubeconfig for the user CN (group O) with a client certificate signed
        by the control plane's CA, e.g. --user system:node:n1 --group system:nodes for a kubelet;
        or, with --service-account NS/NAME, for that service account with its token (as a pod
        of that account would authenticate), waiting for the token controller to make it.

What DIR holds after 'start':
  env                   shell assignments: K8S_DIR, K8S_API_SERVER (https URL), KUBECONFIG
                        (admin, system:masters), K8S_BIN_DIR, K8S_NETNS, K8S_CLUSTER_CIDR,
                        K8S_SERVICE_CIDR, K8S_DUAL_STACK
  admin.kubeconfig      cluster-admin credentials
  kubectl               a wrapper: the built kubectl with admin.kubeconfig, inside --netns
  pki/                  the CA, the serving and client certificates, the service-account keys
  logs/<component>.log  each process's output
  pids/<n>-<component>.pid

Security and hygiene: the API server listens with TLS only (--insecure-port 0), Node,RBAC
authorization with NodeRestriction, service-account tokens signed by a key made here; etcd
and the controller manager and scheduler serve nothing outside 127.0.0.1 (their HTTP ports
are off). Nothing is written outside DIR; no address or link is created or changed.

Exit status: 0 done; 3 a prerequisite is missing (etcd, openssl, the binaries); 1 failure.
USAGE
}

say() { echo "$ME: $*" >&2; }
die() { echo "$ME: FAILED: $*" >&2; exit 1; }
missing() { echo "$ME: $*" >&2; exit "$EXIT_MISSING_PREREQ"; }

# ---------------------------------------------------------------------------------------------
# Certificates (openssl): one CA, leaf certificates signed by it.

new_key() { openssl genrsa -out "$1" 2048 2>/dev/null; }

# sign_cert PKI NAME SUBJECT EKU [SUBJECT_ALT_NAMES]: PKI/NAME.{key,crt}, signed by PKI/ca.
sign_cert() {
    local pki="$1" name="$2" subject="$3" eku="$4" sans="${5:-}"
    new_key "$pki/$name.key"
    openssl req -new -key "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr" 2>/dev/null
    {
        echo "basicConstraints = critical, CA:FALSE"
        echo "keyUsage = critical, digitalSignature, keyEncipherment"
        echo "extendedKeyUsage = $eku"
        [[ -z "$sans" ]] || echo "subjectAltName = $sans"
    } >"$pki/$name.ext"
    openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
        -days 30 -sha256 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
    rm -f -- "$pki/$name.csr" "$pki/$name.ext"
}

b64() { base64 -w0 <"$1"; }

# write_kubeconfig FILE SERVER PKI NAME [TOKEN]: a kubeconfig trusting PKI/ca.crt, for the user NAME with
# the client certificate PKI/NAME.{crt,key}, or with the bearer TOKEN when one is given.
write_kubeconfig() {
    local file="$1" server="$2" pki="$3" name="$4" token="${5:-}"
    local credentials
    if [[ -n "$token" ]]; then
        credentials="    token: $token"
    else
        credentials="    client-certificate-data: $(b64 "$pki/$name.crt")
    client-key-data: $(b64 "$pki/$name.key")"
    fi
    cat >"$file.tmp" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: cnisharp-test
  cluster:
    server: $server
    certificate-authority-data: $(b64 "$pki/ca.crt")
users:
- name: $name
  user:
$credentials
contexts:
- name: cnisharp-test
  context:
    cluster: cnisharp-test
    user: $name
current-context: cnisharp-test
KUBECONFIG
    chmod 600 "$file.tmp"
    mv "$file.tmp" "$file"
}

# ---------------------------------------------------------------------------------------------
# Processes.

# netns_prefix: the command prefix that enters the control plane's network namespace (nsenter,
# not 'ip netns exec': that one remounts /sys). nsenter execs its command, keeping the PID.
netns_prefix() {
    [[ -z "$netns" ]] || printf '%s\0' nsenter --net="/run/netns/$netns" --
}

# in_netns CMD...: CMD in the control plane's network namespace.
in_netns() {
    local prefix=()
    mapfile -d '' -t prefix < <(netns_prefix)
    "${prefix[@]}" "$@"
}

# A port nobody listens on in that namespace (TCP, any address).
free_port() {
    local used port
    used="$(in_netns ss -Htln | awk '{ n = split($4, a, ":"); print a[n] }')"
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 20000))
        grep -qx "$port" <<<"$used" || { echo "$port"; return 0; }
    done
    die "found no free TCP port in 20000-39999"
}

# launch N COMPONENT CMD...: start CMD in the background with its output in logs/COMPONENT.log
# and its PID in pids/N-COMPONENT.pid (stop goes through them in reverse order).
launch() {
    local order="$1" component="$2"
    shift 2
    local prefix=()
    mapfile -d '' -t prefix < <(netns_prefix)
    # exec: the recorded PID is the component's own, not a subshell's.
    (exec "${prefix[@]}" "$@" </dev/null >"$dir/logs/$component.log" 2>&1) &
    echo "$!" >"$dir/pids/$order-$component.pid"
}

# alive COMPONENT: its recorded process still runs.
alive() {
    local pid_file
    pid_file="$(compgen -G "$dir/pids/*-$1.pid" | head -n1)"
    [[ -n "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# A PID belongs to this control plane if its command line names DIR (PIDs get reused).
ours() {
    local pid="$1"
    [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/"
}

stop_all() {
    local pid_file pid
    [[ -d "$dir/pids" ]] || return 0
    for pid_file in $(compgen -G "$dir/pids/*.pid" | LC_ALL=C sort -r); do
        pid="$(cat "$pid_file")"
        if ours "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 100); do
                ours "$pid" || break
                sleep 0.1
            done
            if ours "$pid"; then
                say "$(basename "$pid_file" .pid) ignored SIGTERM for 10 s: SIGKILL"
                kill -KILL "$pid" 2>/dev/null || true
                for _ in $(seq 1 50); do ours "$pid" || break; sleep 0.1; done
            fi
        fi
        rm -f -- "$pid_file"
    done
}

print_log_tails() {
    local log
    for log in "$dir"/logs/*.log; do
        [[ -e "$log" ]] || continue
        echo "---- $(basename "$log") (last 15 lines) ----" >&2
        tail -n 15 "$log" >&2
    done
}

# wait_for WHAT SECONDS COMPONENT CMD...: poll CMD every 0.2 s while COMPONENT lives.
wait_for() {
    local what="$1" seconds="$2" component="$3"
    shift 3
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        alive "$component" || die "$component exited while waiting for $what (log: $dir/logs/$component.log)"
        ((SECONDS < deadline)) || die "no $what after ${seconds}s (log: $dir/logs/$component.log)"
        sleep 0.2
    done
}

# ---------------------------------------------------------------------------------------------
# start

family_of() { [[ "$1" == *:* ]] && echo 6 || echo 4; }

cmd_start() {
    dir=""
    netns=""
    local address=127.0.0.1 port="" cluster_cidr="10.244.0.0/16,fd00:10:244::/56"
    local node_cidr_size="24,64" service_cidr="" with_scheduler=false bin_dir=""
    while (($# > 0)); do
        case "$1" in
            --dir) dir="$2"; shift ;;
            --netns) netns="$2"; shift ;;
            --address) address="$2"; shift ;;
            --port) port="$2"; shift ;;
            --cluster-cidr) cluster_cidr="$2"; shift ;;
            --node-cidr-size) node_cidr_size="$2"; shift ;;
            --service-cidr) service_cidr="$2"; shift ;;
            --with-scheduler) with_scheduler=true ;;
            --bin-dir) bin_dir="$2"; shift ;;
            *) echo "$ME start: unknown argument: $1" >&2; usage >&2; exit 2 ;;
        esac
        shift
    done

    command -v etcd >/dev/null || missing "etcd not found: install etcd-server (scripts/install-deps.sh)"
    command -v openssl >/dev/null || missing "openssl not found (scripts/install-deps.sh)"
    if [[ -n "$netns" && ! -e "/run/netns/$netns" ]]; then
        die "no network namespace $netns (/run/netns/$netns)"
    fi
    # (captured first: 'grep -q' stops reading early and pipefail would see ip's SIGPIPE)
    local addresses
    addresses="$(in_netns ip -o addr show up | awk '{ print $4 }')"
    grep -q "^${address}/" <<<"$addresses" \
        || die "address $address is not on any up link in ${netns:-the current} network namespace"
    grep -q '^127\.0\.0\.1/' <<<"$addresses" \
        || die "loopback (127.0.0.1) is not up in ${netns:-the current} network namespace (etcd listens there)"
    if [[ -z "$bin_dir" ]]; then
        bin_dir="$("$SCRIPT_DIR/build-kubernetes.sh")" || exit $?
    fi
    local component
    for component in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
        [[ -x "$bin_dir/$component" ]] || missing "no $bin_dir/$component (scripts/lib/build-kubernetes.sh builds it)"
    done

    # Dual stack when the pod CIDRs name both families; the services follow the pods.
    local families="" cidr
    IFS=, read -ra cidrs <<<"$cluster_cidr"
    for cidr in "${cidrs[@]}"; do families+="$(family_of "$cidr")"; done
    local dual_stack=false
    [[ "$families" == 46 || "$families" == 64 ]] && dual_stack=true
    if [[ -z "$service_cidr" ]]; then
        case "$families" in
            4) service_cidr=10.96.0.0/16 ;;
            6) service_cidr=fd00:10:96::/112 ;;
            46) service_cidr=10.96.0.0/16,fd00:10:96::/112 ;;
            64) service_cidr=fd00:10:96::/112,10.96.0.0/16 ;;
            *) die "--cluster-cidr $cluster_cidr: one or two CIDRs of different families" ;;
        esac
    fi
    local size_v4="${node_cidr_size%%,*}" size_v6="${node_cidr_size#*,}"
    [[ "$node_cidr_size" == *,* ]] || size_v6=64

    if [[ -z "$dir" ]]; then
        dir="$(mktemp -d /tmp/cnisharp-k8s.XXXXXX)"
    else
        mkdir -p "$dir"
        [[ -z "$(ls -A "$dir")" ]] || die "--dir $dir is not empty"
        dir="$(cd "$dir" && pwd)"
    fi
    trap 'status=$?; if ((status != 0)); then print_log_tails; stop_all; rm -rf -- "$dir"; fi' EXIT
    mkdir -p "$dir/pki" "$dir/logs" "$dir/pids" "$dir/etcd" "$dir/apiserver"
    chmod 700 "$dir/pki" "$dir/etcd"

    local host="$address"
    [[ "$address" == *:* ]] && host="[$address]"
    [[ -n "$port" ]] || port="$(free_port)"
    local server="https://$host:$port"
    local etcd_port etcd_peer_port
    etcd_port="$(free_port)"
    etcd_peer_port="$(free_port)"
    ((etcd_peer_port != etcd_port && etcd_port != port && etcd_peer_port != port)) \
        || die "picked the same free port twice; run again"

    say "certificates in $dir/pki"
    local pki="$dir/pki"
    new_key "$pki/ca.key"
    openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=cnisharp-test-ca-$(basename "$dir")" \
        -days 30 -sha256 -out "$pki/ca.crt" 2>/dev/null
    # The first address of the service CIDR is the in-cluster 'kubernetes' service.
    local service_ip sans
    service_ip="$(python3 -c 'import ipaddress, sys; print(ipaddress.ip_network(sys.argv[1]).network_address + 1)' "${service_cidr%%,*}")"
    sans="IP:$address,IP:127.0.0.1,IP:$service_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default"
    sans+=",DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    sign_cert "$pki" apiserver "/CN=kube-apiserver" serverAuth "$sans"
    sign_cert "$pki" apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
    sign_cert "$pki" admin "/O=system:masters/CN=cnisharp-test-admin" clientAuth
    sign_cert "$pki" controller-manager "/CN=system:kube-controller-manager" clientAuth
    sign_cert "$pki" scheduler "/CN=system:kube-scheduler" clientAuth
    new_key "$pki/sa.key"
    openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
    write_kubeconfig "$dir/admin.kubeconfig" "$server" "$pki" admin
    write_kubeconfig "$dir/controller-manager.kubeconfig" "$server" "$pki" controller-manager
    write_kubeconfig "$dir/scheduler.kubeconfig" "$server" "$pki" scheduler

    local gates=()
    $dual_stack && gates=(--feature-gates IPv6DualStack=true)

    say "etcd on 127.0.0.1:$etcd_port${netns:+ in netns $netns}"
    launch 1 etcd etcd --name default --data-dir "$dir/etcd" --unsafe-no-fsync \
        --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
        --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
        --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
        --initial-cluster "default=http://127.0.0.1:$etcd_peer_port"
    wait_for "etcd health" 30 etcd \
        in_netns curl -fsS "http://127.0.0.1:$etcd_port/health"

    say "kube-apiserver on $server (service CIDR $service_cidr)"
    launch 2 kube-apiserver "$bin_dir/kube-apiserver" \
        --advertise-address "$address" --bind-address "$address" --secure-port "$port" --insecure-port 0 \
        --cert-dir "$dir/apiserver" \
        --etcd-servers "http://127.0.0.1:$etcd_port" \
        --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
        --client-ca-file "$pki/ca.crt" \
        --service-account-issuer https://kubernetes.default.svc.cluster.local \
        --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
        --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
        --service-cluster-ip-range "$service_cidr" \
        --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
        --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
        --kubelet-preferred-address-types InternalIP,Hostname \
        --allow-privileged=true --profiling=false \
        "${gates[@]}"

    cat >"$dir/kubectl" <<WRAPPER
#!/bin/sh
# kubectl $("$bin_dir/kubectl" version --client --short 2>/dev/null | awk '{ print $NF }') as cluster admin of the control plane in $dir
exec ${netns:+nsenter --net=/run/netns/$netns --} "$bin_dir/kubectl" --kubeconfig "$dir/admin.kubeconfig" "\$@"
WRAPPER
    chmod +x "$dir/kubectl"
    wait_for "ready API server (/readyz)" 90 kube-apiserver "$dir/kubectl" get --raw /readyz

    say "kube-controller-manager (node podCIDRs from $cluster_cidr, /$size_v4 and /$size_v6)"
    local cidr_sizes=(--node-cidr-mask-size "$size_v4")
    [[ "$families" == 6 ]] && cidr_sizes=(--node-cidr-mask-size "$size_v6")
    $dual_stack && cidr_sizes=(--node-cidr-mask-size-ipv4 "$size_v4" --node-cidr-mask-size-ipv6 "$size_v6")
    launch 3 kube-controller-manager "$bin_dir/kube-controller-manager" \
        --kubeconfig "$dir/controller-manager.kubeconfig" \
        --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
        --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
        --port 0 --secure-port 0 --leader-elect=false \
        --allocate-node-cidrs --cluster-cidr "$cluster_cidr" "${cidr_sizes[@]}" \
        --service-cluster-ip-range "$service_cidr" \
        --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
        --use-service-account-credentials \
        "${gates[@]}"
    if $with_scheduler; then
        say "kube-scheduler"
        launch 4 kube-scheduler "$bin_dir/kube-scheduler" \
            --kubeconfig "$dir/scheduler.kubeconfig" \
            --authentication-kubeconfig "$dir/scheduler.kubeconfig" \
            --authorization-kubeconfig "$dir/scheduler.kubeconfig" \
            --port 0 --secure-port 0 --leader-elect=false \
            "${gates[@]}"
    fi
    # The service-account controllers run once the controller manager is up: the 'default'
    # account (and its token) in 'default' is the sign.
    wait_for "default service account" 60 kube-controller-manager \
        "$dir/kubectl" -n default get serviceaccount default
    if $with_scheduler; then
        alive kube-scheduler || die "kube-scheduler exited (log: $dir/logs/kube-scheduler.log)"
    fi

    {
        printf 'K8S_DIR=%q\n' "$dir"
        printf 'K8S_API_SERVER=%q\n' "$server"
        printf 'KUBECONFIG=%q\n' "$dir/admin.kubeconfig"
        printf 'K8S_BIN_DIR=%q\n' "$bin_dir"
        printf 'K8S_NETNS=%q\n' "$netns"
        printf 'K8S_CLUSTER_CIDR=%q\n' "$cluster_cidr"
        printf 'K8S_SERVICE_CIDR=%q\n' "$service_cidr"
        printf 'K8S_DUAL_STACK=%q\n' "$dual_stack"
    } >"$dir/env"
    trap - EXIT
    say "ready: $server (kubectl: $dir/kubectl)"
    echo "$dir"
}

# ---------------------------------------------------------------------------------------------

cmd_stop() {
    dir=""
    local keep=false
    while (($# > 0)); do
        case "$1" in
            --dir) dir="$2"; shift ;;
            --keep) keep=true ;;
            *) echo "$ME stop: unknown argument: $1" >&2; usage >&2; exit 2 ;;
        esac
        shift
    done
    [[ -n "$dir" ]] || die "stop needs --dir DIR"
    [[ -d "$dir" ]] || return 0
    dir="$(cd "$dir" && pwd)"
    stop_all
    if $keep; then
        say "stopped; kept $dir"
    else
        rm -rf -- "$dir"
        say "stopped; removed $dir"
    fi
}

cmd_kubeconfig() {
    dir=""
    local user="" group="" service_account="" out=""
    while (($# > 0)); do
        case "$1" in
            --dir) dir="$2"; shift ;;
            --user) user="$2"; shift ;;
            --group) group="$2"; shift ;;
            --service-account) service_account="$2"; shift ;;
            --out) out="$2"; shift ;;
            *) echo "$ME kubeconfig: unknown argument: $1" >&2; usage >&2; exit 2 ;;
        esac
        shift
    done
    [[ -n "$dir" && -n "$out" ]] || die "kubeconfig needs --dir and --out"
    [[ -n "$user" || "$service_account" == */* ]] || die "kubeconfig needs --user CN or --service-account NAMESPACE/NAME"
    [[ -s "$dir/env" ]] || die "$dir is not a started control plane (no env file)"
    local server
    server="$(sed -n 's/^K8S_API_SERVER=//p' "$dir/env")"
    if [[ -n "$service_account" ]]; then
        # Kubernetes 1.20 keeps each account's token in a Secret its token controller creates.
        local namespace="${service_account%%/*}" account="${service_account#*/}" secret="" token=""
        for _ in $(seq 1 100); do
            secret="$("$dir/kubectl" -n "$namespace" get serviceaccount "$account" -o 'jsonpath={.secrets[0].name}' 2>/dev/null || true)"
            [[ -z "$secret" ]] || break
            sleep 0.2
        done
        [[ -n "$secret" ]] || die "service account $service_account has no token secret after 20 s"
        token="$("$dir/kubectl" -n "$namespace" get secret "$secret" -o 'jsonpath={.data.token}' | base64 -d)"
        [[ -n "$token" ]] || die "secret $namespace/$secret holds no token"
        write_kubeconfig "$out" "$server" "$dir/pki" "$namespace-$account" "$token"
        return 0
    fi
    local name subject="/CN=$user"
    name="user-$(tr -c 'A-Za-z0-9_.-' '_' <<<"$user")"
    [[ -z "$group" ]] || subject="/O=$group$subject"
    sign_cert "$dir/pki" "$name" "$subject" clientAuth
    write_kubeconfig "$out" "$server" "$dir/pki" "$name"
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    kubeconfig) shift; cmd_kubeconfig "$@" ;;
    -h|--help) usage ;;
    *) echo "$ME: unknown command: ${1:-(none)}" >&2; usage >&2; exit 2 ;;
esac
