// libyaml (Debian libyaml-dev): the YAML 1.1 event parser Kubernetes-style YAML
// is read with. SwiftMesh composes its own nodes from the events.
#include <yaml.h>
