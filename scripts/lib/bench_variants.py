"""The benchmark's variants: one conflist per variant and implementation, identical but for plugin types.

Every network gets its own bridge, subnets, IPAM data dir and state dir, so the two implementations
never share host objects and a run never touches anything it did not create.
"""
import os

from bench_chain import CNI_VERSION, Network

VARIANTS = {
    "ipv4": "bridge + host-local, one IPv4 range, isGateway, no masquerade",
    "ipv4-masq": "as ipv4 with `\"ipMasq\": true` (iptables masquerade rules per container)",
    "portmap": "as ipv4, chained with the reference portmap; one hostPort mapping per pod (runtimeConfig)",
    "dual-stack": "as ipv4 with a second range set (IPv6): one IPv4 and one IPv6 address per pod",
    "ptp": "routed pods, no bridge: ptp + host-local, an IPv4 and an IPv6 range set, default routes (kind's default CNI)",
}
ALL_VARIANTS = list(VARIANTS)

# Short tags keep bridge names within IFNAMSIZ (15): "cnb" + run id (<= 7 digits) + variant + impl.
VARIANT_TAGS = {"ipv4": "a", "ipv4-masq": "m", "portmap": "p", "dual-stack": "d", "ptp": "t"}
IMPL_TAGS = {"cnisharp": "s", "reference": "r"}

# Host ports for portmap stay below the kernel's ephemeral range (32768+) so that no DNAT rule of
# ours can meet a connection some other program opens.
HOST_PORT_FIRST, HOST_PORT_COUNT = 20000, 12000


class Implementation:
    def __init__(self, label, bridge_exe_dir, bridge_type, ptp_type, ipam_type, cni_path):
        self.label, self.bridge_type, self.ptp_type, self.ipam_type, self.cni_path = \
            label, bridge_type, ptp_type, ipam_type, cni_path
        self.bridge_exe = os.path.join(bridge_exe_dir, bridge_type)


def implementations(bin_dir, ref_dir, with_reference):
    impls = [Implementation("cnisharp", bin_dir, "cnisharp-bridge", "cnisharp-ptp", "cnisharp-host-local", f"{bin_dir}:{ref_dir}")]
    if with_reference:
        impls.append(Implementation("reference", ref_dir, "bridge", "ptp", "host-local", ref_dir))
    return impls


def build_network(variant, impl, run_id, work_dir, launcher):
    vi, ii = ALL_VARIANTS.index(variant), list(IMPL_TAGS).index(impl.label)
    index = 2 * vi + ii
    name = f"cnibench-{run_id}-{variant}-{impl.label}"
    data_dir = os.path.join(work_dir, f"{variant}-{impl.label}")
    ranges = [[{"subnet": f"10.{160 + index}.0.0/16"}]]
    if variant in ("dual-stack", "ptp"):
        ranges.append([{"subnet": f"fd42:b3c0:{index:x}::/64"}])
    if variant == "ptp":
        # No bridge: the main plugin routes each pod; the same keys for both but the types, as kindnet writes them.
        ptp = {
            "type": impl.ptp_type,
            "stateDir": os.path.join(data_dir, "state"),
            "ipam": {"type": impl.ipam_type, "ranges": ranges, "dataDir": os.path.join(data_dir, "ipam"),
                     "routes": [{"dst": "0.0.0.0/0"}, {"dst": "::/0"}]},
        }
        conflist = {"cniVersion": CNI_VERSION, "name": name, "plugins": [ptp]}
        return Network(impl.label, variant, conflist, impl.cni_path, "", ptp["ipam"]["dataDir"])
    bridge = {
        "type": impl.bridge_type,
        "bridge": f"cnb{run_id}{VARIANT_TAGS[variant]}{IMPL_TAGS[impl.label]}",
        "isGateway": True,
        "ipMasq": variant == "ipv4-masq",
        # CniSharp's attachment records; the reference ignores the key. Inside the run's work dir.
        "stateDir": os.path.join(data_dir, "state"),
        "ipam": {"type": impl.ipam_type, "ranges": ranges, "dataDir": os.path.join(data_dir, "ipam")},
    }
    plugins = [bridge]
    if variant == "portmap":
        plugins.append({"type": "portmap", "capabilities": {"portMappings": True}, "snat": True})
    conflist = {"cniVersion": CNI_VERSION, "name": name, "plugins": plugins}
    return Network(impl.label, variant, conflist, impl.cni_path, bridge["bridge"], bridge["ipam"]["dataDir"], launcher)


class RuntimeConfigs:
    """Per-pod runtimeConfig, as a runtime derives it from the pod spec (here: one hostPort each)."""

    def __init__(self):
        self.next_port = 0

    def for_pod(self, variant):
        if variant != "portmap":
            return {}
        port = HOST_PORT_FIRST + self.next_port % HOST_PORT_COUNT
        self.next_port += 1
        return {"portMappings": [{"hostPort": port, "containerPort": 8080, "protocol": "tcp"}]}


def expected_families(variant):
    return {4, 6} if variant in ("dual-stack", "ptp") else {4}
