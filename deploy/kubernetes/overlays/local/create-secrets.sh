#!/usr/bin/env bash
# Creates the Secrets overlays/local needs, with fresh random values, in namespace monkeytown of the current kubectl
# context, and prints the admin token once (the cluster keeps only its SHA-256). Run it before
# `kubectl apply -k deploy/kubernetes/overlays/local`; it refuses to replace Secrets that already exist.
set -euo pipefail
NAMESPACE=${NAMESPACE:-monkeytown}

random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

for name in monkeytown-internal-token monkeytown-gateway-webhooks monkeytown-gateway-tokens; do
  if kubectl -n "$NAMESPACE" get secret "$name" >/dev/null 2>&1; then
    echo "create-secrets: secret $name exists already; delete it first to make a new one" >&2
    exit 1
  fi
done

kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"
admin=$(random)
kubectl -n "$NAMESPACE" create secret generic monkeytown-internal-token --from-literal=token="$(random)"
kubectl -n "$NAMESPACE" create secret generic monkeytown-gateway-webhooks --from-literal=secrets="$(random)"
kubectl -n "$NAMESPACE" create secret generic monkeytown-gateway-tokens \
  --from-literal=tokens="local-admin admin sha256:$(sha256 "$admin")"
echo "Admin token (shown once; the cluster has only its digest): $admin"
