#!/usr/bin/env python3
"""Drives the SwiftMesh console in real headless Chromium over the DevTools
protocol and checks what a user sees: every page loads with no console errors or
exceptions, the topology shows the example's edges, the YAML editor reports
validation errors and conflicts, the weighted-routing form changes the
weights of VirtualService shop/catalog, and the Traces page shows span trees. Screenshots go to --artifacts.

Usage: console_check.py --url http://127.0.0.1:PORT --artifacts DIR [--chromium PATH]
Exit status 0 when every check passed; the failures are printed otherwise."""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

EXPECTED_EDGES = [("ingressgateway", "shop"), ("shop", "catalog"), ("shop", "stock"), ("catalog", "pricing")]


class DevTools:
    """One page target over CDP: commands by id, events kept for the checks."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=20, what=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what or expression}")

    def errors(self, allowed_network=()):
        """Console errors, exceptions and error log entries since the last call."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append("console." + params["type"] + ": " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                if entry.get("source") == "network" and any(f"status of {code}" in entry.get("text", "") for code in allowed_network):
                    continue
                found.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
        self.events = []
        return found


def launch(chromium, profile):
    arguments = [chromium, "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                 "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
                 "--window-size=1400,1000", "about:blank"]
    if os.geteuid() == 0:
        arguments.insert(1, "--no-sandbox")
    process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(port_file):
            lines = open(port_file).read().split("\n")
            if lines and lines[0].strip().isdigit():
                port = int(lines[0])
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5))
                pages = [t for t in targets if t.get("type") == "page"]
                if pages:
                    return process, pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("chromium did not report its DevTools port")


def api(base, method, path, body=None, headers=None):
    request = urllib.request.Request(base + path, method=method, data=body.encode() if body else None, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


class ConsoleCheck:
    def __init__(self, page, base, artifacts):
        self.page, self.base, self.artifacts = page, base, artifacts
        self.failures = []

    def check(self, condition, message):
        print(("ok   " if condition else "FAIL ") + message, flush=True)
        if not condition:
            self.failures.append(message)

    def open(self, path, ready, what):
        self.page.call("Page.navigate", url=self.base + path)
        self.page.wait_for(f"document.readyState === 'complete' && !!({ready})", what=what)

    def screenshot(self, name):
        data = self.page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(os.path.join(self.artifacts, name + ".png"), "wb") as file:
            file.write(base64.b64decode(data))

    def no_errors(self, page, allowed_network=()):
        time.sleep(0.3)
        errors = self.page.errors(allowed_network)
        self.check(not errors, f"{page}: no console errors" + (f" (got {errors})" if errors else ""))

    def overview(self):
        self.open("/ui/", "document.querySelectorAll('#services tr').length > 1 && document.querySelectorAll('#proxies tr').length > 1", "overview tables")
        text = self.page.evaluate("document.getElementById('main').innerText")
        self.check("catalog.shop.svc.cluster.local" in text, "overview lists the catalog service")
        self.check("SYNCED" in text, "overview shows proxies' sync status")
        self.check(self.page.evaluate("!!document.getElementById('config-errors')"), "overview has a config-errors section")
        self.screenshot("overview")
        self.no_errors("overview")

    def topology(self):
        expression = "[...document.querySelectorAll('#topology-graph g.edge-group')].map(g => g.dataset.source + '>' + g.dataset.destination)"
        wanted = [f"{a}>{b}" for a, b in EXPECTED_EDGES]
        self.open("/ui/topology", "document.getElementById('edges')", "topology table")
        deadline = time.time() + 30
        edges = []
        while time.time() < deadline:
            edges = self.page.evaluate(expression) or []
            if all(edge in edges for edge in wanted):
                break
            time.sleep(1)
            self.page.call("Page.reload")
            self.page.wait_for("document.readyState === 'complete' && !!document.getElementById('edges')", what="topology reload")
        self.check(all(edge in edges for edge in wanted), f"topology graph has {wanted} (got {edges})")
        labels = self.page.evaluate("[...document.querySelectorAll('#topology-graph g.edge-group text')].map(t => t.textContent)")
        self.check(bool(labels) and all("rps" in l and "5xx" in l and "p99" in l for l in labels), f"edges are labelled with rate, 5xx and p99 ({labels[:2]})")
        self.screenshot("topology")
        self.no_errors("topology")

    def config(self):
        self.open("/ui/config", "document.querySelectorAll('#objects tr').length > 1", "config objects")
        rows = self.page.evaluate("[...document.querySelectorAll('#objects tr')].map(r => r.innerText)")
        catalog = [r for r in rows if r.startswith("VirtualService") and "shop/catalog" in r]
        self.check(bool(catalog) and "valid" in catalog[0], f"config lists VirtualService shop/catalog as valid ({catalog})")
        self.screenshot("config")
        self.no_errors("config")

    def editor(self):
        self.open("/ui/edit?kind=VirtualService&namespace=shop&name=pricing", "document.getElementById('yaml').value.includes('pricing')", "editor YAML")
        self.no_errors("editor")
        # A bad duration: 400 with the field path, nothing stored.
        self.page.evaluate("{ const t = document.getElementById('yaml'); t.value = t.value.replace('timeout: 2s', 'timeout: soon'); document.getElementById('save').click(); }")
        self.page.wait_for("document.getElementById('result').innerText.includes('failed')", what="400 shown")
        result = self.page.evaluate("document.getElementById('result').innerText")
        self.check("spec.http[0].timeout" in result, f"editor shows the validation error's field path ({result!r})")
        self.screenshot("editor-invalid")
        # Someone else edits the object: saving the stale copy is a 409 conflict.
        _, current = api(self.base, "GET", "/api/v1/config/VirtualService/shop/pricing")
        status, _ = api(self.base, "PUT", "/api/v1/config/VirtualService/shop/pricing", current["yaml"] + "\n# touched by console_check\n",
                        {"If-Match": current["resourceVersion"]})
        self.check(status == 200, f"a concurrent edit through the API is accepted ({status})")
        self.page.evaluate("{ const t = document.getElementById('yaml'); t.value = t.value.replace('timeout: soon', 'timeout: 3s'); document.getElementById('save').click(); }")
        self.page.wait_for("document.getElementById('result').innerText.includes('conflict')", what="409 shown")
        self.check(True, "editor shows the 409 conflict")
        self.screenshot("editor-conflict")
        self.page.evaluate("document.getElementById('reload').click()")
        self.page.wait_for("document.getElementById('yaml').value.includes('touched by console_check')", what="reloaded YAML")
        self.check(True, "editor reloads the current version after a conflict")
        self.no_errors("editor (400 / 409 answers)", allowed_network=(400, 409))

    def yaml_writer(self):
        self.open("/ui/config", "typeof YAML !== 'undefined'", "YAML writer")
        value = self.page.evaluate("""YAML.stringify({spec: {hosts: ['a.b'], http: [{name: 'x', timeout: '2s', route: [{destination: {host: 'h', subset: 'v1'}, weight: 80}],
            retries: {retryOn: '5xx,reset'}, match: []}], flag: 'true', count: '80'}, metadata: {namespace: 'shop', name: 'c'}, kind: 'VirtualService', apiVersion: 'networking.istio.io/v1'})""")
        expected = "\n".join([
            "apiVersion: networking.istio.io/v1", "kind: VirtualService", "metadata:", "  name: c", "  namespace: shop", "spec:",
            "  hosts:", "    - a.b", "  http:", "    - name: x", '      timeout: "2s"', "      route:", "        - destination:",
            "            host: h", "            subset: v1", "          weight: 80", "      retries:", '        retryOn: "5xx,reset"',
            "      match: []", '  flag: "true"', '  count: "80"', ""])
        self.check(value == expected, "the forms' YAML writer: key order, quoting, nesting" + ("" if value == expected else f"\n{value}\n!=\n{expected}"))

    def weighted_routing(self):
        self.open("/ui/routing?kind=VirtualService&namespace=shop&name=catalog", "document.querySelector('fieldset[data-route=split] input')", "routing form")
        subsets = self.page.evaluate("[...document.querySelectorAll('fieldset[data-route=split] input')].map(i => i.dataset.subset)")
        self.check(sorted(subsets) == ["v1", "v2", "v3"], f"the form offers the DestinationRule's subsets ({subsets})")
        # A sum other than 100 is refused without a request.
        self.page.evaluate("""for (const i of document.querySelectorAll('fieldset[data-route=split] input')) { i.value = 50; i.dispatchEvent(new Event('input')); }
            document.querySelector('fieldset[data-route=split] button.apply').click()""")
        self.page.wait_for("document.getElementById('result').innerText.includes('sum to 100')", what="sum refused")
        self.check(True, "the form refuses weights that do not sum to 100")
        self.page.evaluate("""for (const i of document.querySelectorAll('fieldset[data-route=split] input')) { i.value = i.dataset.subset === 'v2' ? 100 : 0; i.dispatchEvent(new Event('input')); }
            document.querySelector('fieldset[data-route=split] button.apply').click()""")
        self.page.wait_for("document.getElementById('result').innerText.includes('applied')", what="weights applied")
        _, vs = api(self.base, "GET", "/api/v1/config/VirtualService/shop/catalog")
        http = vs["object"]["spec"]["http"]
        split = [r for r in http if r.get("name") == "split"][0]
        tester = [r for r in http if r.get("name") == "tester"][0]
        self.check([(d["destination"].get("subset"), d.get("weight")) for d in split["route"]] == [("v2", 100)],
                   f"VirtualService shop/catalog now sends all other users to v2 ({split['route']})")
        self.check(tester["route"][0]["destination"]["subset"] == "v3" and "match" in tester, "the tester route stays as it was")
        self.screenshot("routing")
        self.no_errors("routing")


def resilience(check):
    """The timeout/retries/fault form on VirtualService shop/pricing: a 1 s timeout, a
    50 ms delay for 10 % of requests and no retries, as the object then reads."""
    check.open("/ui/resilience?kind=VirtualService&namespace=shop&name=pricing", "document.querySelector('fieldset input[data-field=timeout]')", "resilience form")
    check.page.evaluate("""{ const set = (f, v) => { const i = document.querySelector(`fieldset input[data-field="${f}"]`); i.value = v; };
        set('timeout', '1s'); set('retries.attempts', ''); set('retries.perTryTimeout', ''); set('retries.retryOn', '');
        set('fault.delay.percentage.value', '10'); set('fault.delay.fixedDelay', '50ms');
        document.querySelector('fieldset button.apply').click(); }""")
    check.page.wait_for("document.getElementById('result').innerText.includes('applied')", what="resilience applied")
    _, vs = api(check.base, "GET", "/api/v1/config/VirtualService/shop/pricing")
    route = vs["object"]["spec"]["http"][0]
    check.check(route.get("timeout") == "1s" and "retries" not in route and route.get("fault") == {"delay": {"percentage": {"value": 10}, "fixedDelay": "50ms"}},
                f"the resilience form sets timeout and fault and removes retries ({route})")
    check.screenshot("resilience")
    check.no_errors("resilience")


def traces(check):
    """The Traces page: recent traces the proxies exported to the control plane,
    and one trace's span tree across the gateway, shop and catalog."""
    check.open("/ui/traces", "document.querySelectorAll('#traces tr').length > 1", "traces table")
    text = check.page.evaluate("document.getElementById('traces').innerText")
    check.check("ingressgateway.shop" in text and "catalog.shop" in text, f"traces list the gateway and catalog ({text[:200]!r})")
    # Spans arrive per proxy as each flushes: open a trace that is complete (gateway,
    # shop, catalog and stock: 7 spans or more).
    check.page.evaluate("[...document.querySelectorAll('#traces tr')].find(r => r.children[2] && r.children[2].innerText.includes('catalog.shop') && parseInt(r.children[3].innerText) >= 7).querySelector('a').click()")
    check.page.wait_for("document.querySelectorAll('#spans tr').length > 4", what="span tree")
    services = check.page.evaluate("[...document.querySelectorAll('#spans tr')].slice(1).map(r => r.children[1].innerText)")
    depths = check.page.evaluate("[...document.querySelectorAll('#spans .span-name')].map(s => parseInt(s.style.paddingLeft))")
    check.check(services[0] == "ingressgateway.shop" and "shop.shop" in services and "catalog.shop" in services,
                f"the trace runs gateway -> shop -> catalog ({services})")
    check.check(depths[0] == 0 and max(depths) >= 4 * 18, f"spans are indented as a tree ({depths})")
    check.screenshot("traces")
    check.no_errors("traces")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    options = parser.parse_args()
    os.makedirs(options.artifacts, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="swiftmesh-chromium-")
    process, ws_url = launch(options.chromium, profile)
    try:
        page = DevTools(ws_url)
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            page.call(domain)
        page.call("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1, mobile=False)
        check = ConsoleCheck(page, options.url.rstrip("/"), options.artifacts)
        for step in (check.overview, check.topology, check.config, check.editor, check.yaml_writer, check.weighted_routing, lambda: resilience(check), lambda: traces(check)):
            try:
                step()
            except Exception as error:  # one broken page must not hide the others' results
                check.check(False, f"{step.__name__}: {error}")
                try:
                    check.screenshot(step.__name__ + "-failed")
                except Exception:
                    pass
        print(f"screenshots: {options.artifacts}", flush=True)
        if check.failures:
            print(f"{len(check.failures)} console check(s) failed", flush=True)
            return 1
        print("all console checks passed", flush=True)
        return 0
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
