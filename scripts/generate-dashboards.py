#!/usr/bin/env python3
"""Writes the Grafana dashboards in dashboards/ (mesh, service, workload, control
plane). Their queries use Istio's metric names and labels, so they work on any
Prometheus that scrapes SwiftMesh (or Istio). Regenerate after editing this file:
    python3 scripts/generate-dashboards.py
"""
import json
import os

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def panel(title, targets, x, y, w=12, h=8, kind="timeseries", unit=None):
    result = {
        "type": kind,
        "title": title,
        "datasource": DATASOURCE,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "targets": [{"refId": chr(65 + i), "expr": expr, "legendFormat": legend, "datasource": DATASOURCE}
                    for i, (expr, legend) in enumerate(targets)],
    }
    if unit:
        result["fieldConfig"] = {"defaults": {"unit": unit}, "overrides": []}
    return result


def variable(name, query, label):
    return {"name": name, "label": label, "type": "query", "datasource": DATASOURCE, "query": query,
            "definition": query, "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
            "current": {"text": "All", "value": "$__all"}}


def dashboard(uid, title, panels, variables=()):
    datasource = {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus"}
    return {
        "uid": uid, "title": title, "tags": ["swiftmesh", "istio"], "schemaVersion": 38, "version": 1,
        "editable": True, "refresh": "10s", "time": {"from": "now-15m", "to": "now"},
        "templating": {"list": [datasource] + list(variables)}, "panels": panels,
    }


def quantiles(metric, selector, by):
    return [(f'histogram_quantile({q}, sum(rate({metric}_bucket{{{selector}}}[1m])) by (le{by}))',
             f'P{int(q * 100)}' + (" {{destination_service}}" if "destination_service" in by else ""))
            for q in (0.5, 0.9, 0.99)]


mesh = dashboard("swiftmesh-mesh", "SwiftMesh / Mesh", [
    panel("Global request volume (ops)", [('round(sum(rate(istio_requests_total{reporter="source"}[1m])), 0.001)', "requests/s")], 0, 0, 6, 4, "stat"),
    panel("Global success rate (non-5xx)", [('sum(rate(istio_requests_total{reporter="source",response_code!~"5.."}[1m])) / sum(rate(istio_requests_total{reporter="source"}[1m]))', "success")], 6, 0, 6, 4, "stat", "percentunit"),
    panel("4xx (ops)", [('sum(rate(istio_requests_total{reporter="source",response_code=~"4.."}[1m])) or vector(0)', "4xx")], 12, 0, 6, 4, "stat"),
    panel("5xx (ops)", [('sum(rate(istio_requests_total{reporter="source",response_code=~"5.."}[1m])) or vector(0)', "5xx")], 18, 0, 6, 4, "stat"),
    panel("Requests by service", [('sum(rate(istio_requests_total{reporter="destination"}[1m])) by (destination_service)', "{{destination_service}}")], 0, 4),
    panel("P99 latency by service", [('histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[1m])) by (le, destination_service))', "{{destination_service}}")], 12, 4, unit="ms"),
    panel("HTTP workloads", [('sum(rate(istio_requests_total{reporter="destination"}[1m])) by (destination_workload, destination_workload_namespace, destination_service)', "{{destination_workload}}.{{destination_workload_namespace}}")], 0, 12, 24, 8, "table"),
    panel("TCP bytes sent by service", [('sum(rate(istio_tcp_sent_bytes_total{reporter="destination"}[1m])) by (destination_service)', "{{destination_service}}")], 0, 20, unit="Bps"),
    panel("Response flags", [('sum(rate(istio_requests_total{response_flags!="-"}[1m])) by (response_flags, reporter)', "{{response_flags}} ({{reporter}})")], 12, 20),
])

service_selector = 'reporter="destination",destination_service=~"$service"'
service = dashboard("swiftmesh-service", "SwiftMesh / Service", [
    panel("Request volume", [(f'round(sum(rate(istio_requests_total{{{service_selector}}}[1m])), 0.001)', "requests/s")], 0, 0, 8, 4, "stat"),
    panel("Success rate (non-5xx)", [(f'sum(rate(istio_requests_total{{{service_selector},response_code!~"5.."}}[1m])) / sum(rate(istio_requests_total{{{service_selector}}}[1m]))', "success")], 8, 0, 8, 4, "stat", "percentunit"),
    panel("Request duration", quantiles("istio_request_duration_milliseconds", service_selector, ""), 16, 0, 8, 4, unit="ms"),
    panel("Incoming requests by source and code", [(f'sum(rate(istio_requests_total{{{service_selector}}}[1m])) by (source_workload, source_workload_namespace, response_code)', "{{source_workload}}.{{source_workload_namespace}} {{response_code}}")], 0, 4),
    panel("Incoming success rate by source", [(f'sum(rate(istio_requests_total{{{service_selector},response_code!~"5.."}}[1m])) by (source_workload) / sum(rate(istio_requests_total{{{service_selector}}}[1m])) by (source_workload)', "{{source_workload}}")], 12, 4, unit="percentunit"),
    panel("Request size", quantiles("istio_request_bytes", service_selector, ""), 0, 12, unit="bytes"),
    panel("Response size", quantiles("istio_response_bytes", service_selector, ""), 12, 12, unit="bytes"),
    panel("Workloads serving it", [(f'sum(rate(istio_requests_total{{{service_selector}}}[1m])) by (destination_workload, destination_version)', "{{destination_workload}} {{destination_version}}")], 0, 20, 24, 8),
], [variable("service", 'label_values(istio_requests_total{reporter="destination"}, destination_service)', "Service")])

inbound = 'reporter="destination",destination_workload=~"$workload",destination_workload_namespace=~"$namespace"'
outbound = 'reporter="source",source_workload=~"$workload",source_workload_namespace=~"$namespace"'
workload = dashboard("swiftmesh-workload", "SwiftMesh / Workload", [
    panel("Incoming request volume", [(f'round(sum(rate(istio_requests_total{{{inbound}}}[1m])), 0.001)', "requests/s")], 0, 0, 8, 4, "stat"),
    panel("Incoming success rate (non-5xx)", [(f'sum(rate(istio_requests_total{{{inbound},response_code!~"5.."}}[1m])) / sum(rate(istio_requests_total{{{inbound}}}[1m]))', "success")], 8, 0, 8, 4, "stat", "percentunit"),
    panel("Incoming request duration", quantiles("istio_request_duration_milliseconds", inbound, ""), 16, 0, 8, 4, unit="ms"),
    panel("Incoming requests by source and code", [(f'sum(rate(istio_requests_total{{{inbound}}}[1m])) by (source_workload, response_code)', "{{source_workload}} {{response_code}}")], 0, 4),
    panel("Outgoing requests by service and code", [(f'sum(rate(istio_requests_total{{{outbound}}}[1m])) by (destination_service, response_code)', "{{destination_service}} {{response_code}}")], 12, 4),
    panel("Outgoing request duration by service", quantiles("istio_request_duration_milliseconds", outbound, ", destination_service"), 0, 12, unit="ms"),
    panel("Outgoing response flags", [(f'sum(rate(istio_requests_total{{{outbound},response_flags!="-"}}[1m])) by (response_flags, destination_service)', "{{response_flags}} {{destination_service}}")], 12, 12),
], [variable("namespace", 'label_values(istio_requests_total{reporter="destination"}, destination_workload_namespace)', "Namespace"),
    variable("workload", 'label_values(istio_requests_total{reporter="destination",destination_workload_namespace=~"$namespace"}, destination_workload)', "Workload")])

control = dashboard("swiftmesh-control-plane", "SwiftMesh / Control plane", [
    panel("Connected proxies", [('sum(pilot_xds)', "proxies")], 0, 0, 6, 4, "stat"),
    panel("Services", [('sum(pilot_services)', "services")], 6, 0, 6, 4, "stat"),
    panel("Rejected config (NACKs)", [('sum(pilot_total_xds_rejects)', "NACKs")], 12, 0, 6, 4, "stat"),
    panel("Config files rejected", [('sum(swiftmesh_config_rejected_files)', "files")], 18, 0, 6, 4, "stat"),
    panel("Pushes by type", [('sum(rate(pilot_xds_pushes[1m])) by (type)', "{{type}}")], 0, 4),
    panel("Translation time per proxy scope", [('rate(swiftmesh_translation_seconds_total[5m]) / rate(swiftmesh_translations_total[5m])', "seconds")], 12, 4, unit="s"),
])

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "dashboards")
os.makedirs(out, exist_ok=True)
for name, board in [("mesh", mesh), ("service", service), ("workload", workload), ("control-plane", control)]:
    with open(os.path.join(out, f"{name}.json"), "w") as file:
        json.dump(board, file, indent=2, sort_keys=True)
        file.write("\n")
