/// The management API's OpenAPI 3 description, served at `/api/v1/openapi.json`.
enum ConfigAPIDocument {
    static let openAPI = #"""
    {
      "openapi": "3.0.3",
      "info": {"title": "SwiftMesh management API", "version": "v1",
               "description": "Istio config objects stored as files in the control plane's config directory, validated as files are. Writes take an optional If-Match: <resourceVersion> (409 when the object changed meanwhile)."},
      "paths": {
        "/api/v1/config": {"get": {"summary": "List config objects in force", "parameters": [{"name": "kind", "in": "query", "schema": {"type": "string"}}],
          "responses": {"200": {"description": "{items: [{kind, apiVersion, namespace, name, file, resourceVersion}]}"}}}},
        "/api/v1/config/{kind}/{namespace}/{name}": {
          "parameters": [{"name": "kind", "in": "path", "required": true, "schema": {"type": "string"}, "example": "VirtualService"},
                         {"name": "namespace", "in": "path", "required": true, "schema": {"type": "string"}},
                         {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
          "get": {"summary": "One object with its YAML and resourceVersion (also the ETag)", "responses": {"200": {"description": "the object"}, "404": {"description": "no such object"}}},
          "put": {"summary": "Create or replace the object from a YAML or JSON body",
                  "parameters": [{"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
                  "requestBody": {"content": {"application/yaml": {}, "application/json": {}}},
                  "responses": {"200": {"description": "replaced"}, "201": {"description": "created"},
                                "400": {"description": "{error, errors: [\"KIND NS/NAME: field.path: reason\"]}; nothing stored"},
                                "409": {"description": "resourceVersion changed meanwhile"}}},
          "delete": {"summary": "Delete the object", "parameters": [{"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
                     "responses": {"200": {"description": "deleted"}, "404": {"description": "no such object"}, "409": {"description": "resourceVersion changed meanwhile"}}}
        },
        "/api/v1/vms": {
          "get": {"summary": "Registered VM services with their instances", "responses": {"200": {"description": "{items: [{name, namespace, hosts, file, instances: [{name, address, labels}]}]}"}}},
          "post": {"summary": "Register (or replace) a VM service and its instances; stored as a ServiceEntry and WorkloadEntries in vm-NAMESPACE-NAME.yaml",
                   "requestBody": {"content": {"application/json": {"example": {"name": "legacy", "namespace": "shop", "ports": [{"name": "http", "number": 9080, "protocol": "HTTP"}],
                                   "serviceAccount": "legacy", "instances": [{"address": "10.0.0.5", "labels": {"version": "v1"}}]}}}},
                   "responses": {"201": {"description": "registered"}, "200": {"description": "replaced"}, "400": {"description": "{error, errors}; nothing stored"}}}},
        "/api/v1/vms/{namespace}/{name}": {"delete": {"summary": "Remove a VM registration (its file)", "responses": {"200": {"description": "deleted"}, "404": {"description": "no such registration"}}}},
        "/api/v1/services": {"get": {"summary": "Services and their endpoints", "responses": {"200": {"description": "{items}"}}}},
        "/api/v1/proxies": {"get": {"summary": "Connected proxies and their sync status per type", "responses": {"200": {"description": "{items}"}}}},
        "/api/v1/traces": {"get": {"summary": "Recent traces received by the control plane's OTLP receiver (POST /v1/traces, OTLP/HTTP protobuf), newest first",
          "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "default": 50}}],
          "responses": {"200": {"description": "{received, items: [{traceId, rootName, rootService, services, spanCount, startTime, durationMicros, error}]}"}}}},
        "/api/v1/traces/{traceId}": {"get": {"summary": "One trace's spans, parents before children",
          "parameters": [{"name": "traceId", "in": "path", "required": true, "schema": {"type": "string"}, "description": "32 hex digits"}],
          "responses": {"200": {"description": "{traceId, spans: [{spanId, parentSpanId, depth, name, kind, service, startTime, durationMicros, error, attributes}]}"},
                        "404": {"description": "no span of that trace is held"}}}}
      }
    }
    """#
}
