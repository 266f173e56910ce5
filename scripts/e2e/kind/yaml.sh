# shellcheck shell=bash
# yaml-*: every document of conf/kind/*.yaml parses; the kind and Kubernetes fields the kit depends on
# (check-manifests.py). Sourced by scripts/e2e/kind-kit.sh.

readonly YAML_CASES=(yaml-parse yaml-cluster yaml-rbac yaml-daemonset)

# One checker run answers all four cases, a line each, in $WORK/yaml-report.
yaml_checks() {
    local image
    # The image name kind-e2e.sh builds and loads must be the one the manifest runs.
    image="$(sed -n 's/^readonly KIND_IMAGE="\([^"]*\)".*/\1/p' "$KIND_E2E")"
    python3 "$KIT_DIR/check-manifests.py" "$KIND_DIR" "$REPO_ROOT/Dockerfile" "$KIND_SCRIPTS" "$image" \
        >"$WORK/yaml-report" 2>&1
}

yaml_case() { # case name
    local line
    line="$(grep -P "^$1\t" "$WORK/yaml-report" || true)"
    [[ -n "$line" ]] || bad "no result from the YAML checker: $(tail_of "$WORK/yaml-report")" || return
    line="${line#*$'\t'}"
    [[ -z "$line" ]] || bad "$line"
}

yaml_cases() {
    local name
    if ! python3 -c 'import yaml' 2>/dev/null; then
        for name in "${YAML_CASES[@]}"; do
            echo "E2E SKIP $name: needs python3 with the yaml module (python3-yaml)"
        done
        return
    fi
    yaml_checks || true
    for name in "${YAML_CASES[@]}"; do
        run_case "$name" yaml_case "$name"
    done
}
