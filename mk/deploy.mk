# Container image and Kubernetes manifests (docs/deployment.md).
#   make image        the image (deploy/container/Containerfile) as $(IMAGE)
#   make image-test   the image's tests: start, health, predict, non-root, read-only, SIGTERM
#   make pod-test     many instances of the image in one pod behind nginx (slow)
#   make kube-play-test  the Kubernetes Deployment under podman kube play (slow)
#   make k8s-validate every manifest under deploy/kubernetes against Kubernetes $(K8S_VERSION)
# BASE_IMAGE defaults to a Debian bookworm base built here from Debian packages (no registry
# needed; `make base-image`). For the official Python image:
#   make image BASE_IMAGE=docker.io/library/python:3.11-slim-bookworm
IMAGE         ?= localhost/specserve:latest
LOCAL_BASE    := localhost/debian-base:bookworm
BASE_IMAGE    ?= $(LOCAL_BASE)
DEBIAN_MIRROR ?= http://deb.debian.org/debian
K8S_VERSION   ?= 1.30.0
CA_BUNDLE     ?= /etc/ssl/certs/ca-certificates.crt
# podman settings that work on rootful hosts without systemd (deploy/podman/containers.conf);
# set CONTAINERS_CONF to use your own.
export CONTAINERS_CONF ?= $(CURDIR)/deploy/podman/containers.conf

comma := ,
# pip inside the build trusts the host's CA bundle (a build secret, never in a layer)
BUILD_SECRET := $(if $(wildcard $(CA_BUNDLE)),--secret id=cabundle$(comma)src=$(CA_BUNDLE))

DEPLOY_STAMP := $(VENV)/.deploy-installed

.PHONY: image base-image image-test pod-test kube-play-test k8s-validate deploy-deps

TEST_DEPS += deploy-deps
CI_CHECKS += k8s-validate

$(DEPLOY_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[deploy]'
	touch $@

deploy-deps: $(DEPLOY_STAMP) ## kubernetes-validate (the manifests' schemas), pinned

base-image: ## a Debian bookworm base image from Debian packages (debootstrap; once)
	deploy/container/base-image.sh $(LOCAL_BASE) build $(DEBIAN_MIRROR)

image: $(if $(filter $(LOCAL_BASE),$(BASE_IMAGE)),base-image) ## the container image $(IMAGE)
	podman build --quiet --network host --format docker --build-arg BASE_IMAGE=$(BASE_IMAGE) \
	  $(BUILD_SECRET) -f deploy/container/Containerfile -t $(IMAGE) . >/dev/null
	@podman image inspect $(IMAGE) --format '$(IMAGE): {{.Size}} bytes'

image-test: install ## start the image, check health, a prediction, non-root, read-only, SIGTERM
	$(BIN)/pytest tests/deploy/test_image.py

pod-test: install ## two instances of the image, Redis, PostgreSQL and nginx in one pod (slow)
	$(BIN)/pytest tests/deploy/test_pod.py

kube-play-test: install ## the base Deployment under `podman kube play --network none` (slow)
	$(BIN)/pytest tests/deploy/test_kube_play.py

k8s-validate: deploy-deps ## kubernetes-validate --strict on every manifest, unknown schemas fail
	$(BIN)/python scripts/k8s_validate.py --kubernetes-version $(K8S_VERSION) deploy/kubernetes
