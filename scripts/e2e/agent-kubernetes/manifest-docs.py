#!/usr/bin/env python3
"""Print the documents of a Kubernetes manifest whose kind is one of KIND..., as a YAML stream.

  manifest-docs.py FILE KIND [KIND...]

The Kubernetes datastore suite applies only the RBAC part of the kind kit's manifest
(Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding): exactly what the DaemonSet's
agent would run with.
"""
import sys

import yaml


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    kinds = set(sys.argv[2:])
    with open(sys.argv[1], encoding="utf-8") as manifest:
        docs = [d for d in yaml.safe_load_all(manifest) if d and d.get("kind") in kinds]
    if not docs:
        print("manifest-docs.py: no document of kind %s in %s" % (", ".join(sorted(kinds)), sys.argv[1]), file=sys.stderr)
        return 1
    yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
