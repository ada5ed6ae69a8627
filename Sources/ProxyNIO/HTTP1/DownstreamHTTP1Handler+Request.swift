import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    /// Handles buffered downstream bytes: a new request head, or more of the
    /// current request's body. Re-entered when an exchange ends.
    func processInbound() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while !downstreamClosed, var buffer = inbound, buffer.readableBytes > 0 {
            inbound = nil
            switch requestPhase {
            case .head:
                guard !inExchange else {
                    inbound = buffer
                    return
                }
                guard startExchange(&buffer) else {
                    inbound = buffer.readableBytes > 0 ? buffer : nil
                    return
                }
            case .body(var tracker):
                let count: Int
                do {
                    count = try buffer.withUnsafeReadableBytes { bytes throws(HTTPParseError) in try tracker.consume(bytes) }
                } catch {
                    abortExchange(downstreamProtocolError: error)
                    return
                }
                requestBodyBytes += count
                let slice = buffer.readSlice(length: count)!
                requestPhase = tracker.isDone ? .done : .body(tracker)
                if tracker.isDone { requestDoneNanos = NIODeadline.now().uptimeNanoseconds }
                if retryBodyKept { keepForRetry(slice) }
                sendUpstream(slice)
                mirrorBody(slice)
                endMirrorsIfRequestDone()
            case .done:
                // Pipelined: the next request waits for this response.
                inbound = buffer
                if buffer.readableBytes > 1 << 20 { pauseDownstreamReads() }
                return
            }
            if buffer.readableBytes > 0 { inbound = buffer }
        }
    }

    /// Parses a head and starts its exchange; false when more bytes are needed or
    /// the connection is ending.
    private func startExchange(_ buffer: inout ByteBuffer) -> Bool {
        let outcome: Result<Bool, HTTPParseError> = buffer.withUnsafeReadableBytes { bytes in
            do throws(HTTPParseError) {
                return .success(try parser.parse(bytes, into: &requestHead))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .failure(let error):
            // Without a Host the head is whole: Envoy logs its path.
            if error == .missingHost { buffer.withUnsafeReadableBytes { beginTelemetry($0) } } else { beginTelemetry(nil) }
            inExchange = true
            closeAfterResponse = true
            requestWasHead = false
            sendLocalReply(LocalReply.protocolError(error))
            return false
        case .success(false):
            return false
        case .success(true):
            break
        }
        // Envoy refuses HTTP/1.0 before it reads the path (426, nothing logged as the path).
        let refuseHTTP10 = requestHead.version == .http10 && !listener.http.acceptHTTP10
        let pathReply = refuseHTTP10 ? nil : screenHead(&buffer)
        exchangeID &+= 1
        if refuseHTTP10 { beginTelemetry(nil) } else { buffer.withUnsafeReadableBytes { beginTelemetry($0) } }
        inExchange = true
        requestWasHead = requestHead.isHead
        if refuseHTTP10 {
            closeAfterResponse = true
            sendLocalReply(LocalReply.upgradeRequired)
            return false
        }
        closeAfterResponse = requestHead.wantsClose
        responseStarted = false
        replayedOnFreshConnection = false
        answeredContinue = false
        upstreamReusable = true
        // An upgrade (WebSocket) the connection manager allows is tunnelled once
        // the upstream answers 101; others get Envoy's 403 (upgrade_failed).
        upgrading = requestHead.isUpgrade && !servesHTTP2Stream
        let reply: LocalReply? = pathReply ?? buffer.withUnsafeReadableBytes { bytes in
            if upgrading, !listener.http.allowsUpgrade(requestHead.upgrade.bytes(in: bytes)) { return LocalReply.upgradeFailed }
            return route(bytes)
        }
        buffer.moveReaderIndex(forwardBy: requestHead.length)
        if reply != nil { upgrading = false }
        if upgrading { closeAfterResponse = true }
        // The upgraded request's "body" is the client's side of the tunnel.
        let tracker = BodyTracker(upgrading ? .untilClose : requestHead.framing)
        requestPhase = tracker.isDone ? .done : .body(tracker)
        // Envoy's upstream service time counts from the end of the downstream request.
        requestDoneNanos = tracker.isDone ? exchangeStartNanos : 0
        endMirrorsIfRequestDone()
        if let reply {
            // The body (if any) is not read: the connection cannot be reused.
            if !tracker.isDone { closeAfterResponse = true }
            sendLocalReply(reply)
            return !downstreamClosed
        }
        if faultDelayNanos > 0 {
            startFaultDelay()
            return true
        }
        proceedUpstream()
        return true
    }

    /// The router's part of an exchange: 100-continue, the route timeout, the upstream.
    func proceedUpstream() {
        if requestHead.expectsContinue {
            answeredContinue = true
            writeDownstream(LocalReply.continueBuffer)
        }
        armRouteTimeout(nanos: routeTimeoutNanos)
        acquireUpstream()
    }

    /// Routes the parsed request and writes the upstream head into
    /// `requestScratch`; returns the local reply instead when there is one.
    private func route(_ bytes: UnsafeRawBufferPointer) -> LocalReply? {
        let random = worker.random.next()
        let request = RouteRequest(bytes: bytes, head: requestHead, random: random)
        // The HTTP filters before the router (RBAC) answer even when no route matches.
        if let denied = authorize(request) { return denied }
        guard let table = listener.routeTable else { return LocalReply.noRoute }
        guard let selection = table.select(request) else { return LocalReply.noRoute }
        self.selection = selection
        if !corsLines.isEmpty { corsLines = [] }
        if let cors = selection.route.cors {
            // Envoy's CORS filter runs before faults and the router.
            switch request.cors(cors) {
            case .none: break
            case .respond(let lines): corsLines = lines
            case .rejectPreflight:
                var reply = LocalReply(status: 200, body: [], flags: [])
                reply.routeHeaders = false
                return reply
            case .preflight(let lines):
                var reply = LocalReply(status: 200, body: [], flags: [])
                reply.extraLines = lines
                reply.routeHeaders = false
                return reply
            }
        }
        if let fault = selection.route.fault, let abort = injectFault(fault) {
            return abort
        }
        guard faultDelayNanos > 0 else { return routeAction(bytes, request, selection) }
        // Delayed: a local reply is given after the delay, forwarding goes on then.
        if let reply = routeAction(bytes, request, selection) { faultDeferredReply = reply }
        return nil
    }

    private func routeAction(_ bytes: UnsafeRawBufferPointer, _ request: RouteRequest, _ selection: RouteTable.Selection) -> LocalReply? {
        if selection.virtualHost.requireTLS {
            return LocalReply.redirect(RedirectAction(scheme: "https"), request: request)
        }
        switch selection.route.action {
        case .directResponse(let direct):
            var reply = LocalReply(status: direct.status, body: direct.body, flags: [])
            reply.details = LocalReply.directResponseDetails
            return reply
        case .redirect(let redirect):
            return LocalReply.redirect(redirect, request: request, matchedPrefix: selection.route.match.path.prefixLength)
        case .forward(let action):
            let target = action.target.select(random: request.random)
            weightedEntry = target.entry
            guard let cluster = worker.cluster(named: target.name) else { return LocalReply.noCluster }
            telemetryService = cluster.telemetryService
            if accessRecord != nil { accessRecord!.upstreamCluster = cluster.nameBytes }
            let picked: EndpointRuntime?
            if cluster.isOriginalDestination {
                picked = cluster.originalDestination(connection)
            } else if cluster.usesHash && !action.hashPolicies.isEmpty {
                let input = RouteHashInput(request: request, sourceIP: context?.channel.remoteAddress?.ipAddress)
                picked = cluster.pick(hash: action.requestHashPolicy.hash(input).hash, random: &worker.random)
            } else {
                picked = cluster.pick(random: &worker.random)
            }
            guard let endpoint = picked else { return LocalReply.noHealthyUpstream }
            self.endpoint = endpoint
            endpoint.activeRequests += 1
            currentCluster = cluster
            // Not `??`: its autoclosure costs an allocation in unoptimised builds.
            if let policy = action.retryPolicy { retryPolicy = policy } else { retryPolicy = selection.virtualHost.retryPolicy }
            beginRetryBody()
            connectTimeoutNanos = cluster.config.connectTimeoutNanos
            var perTry: Int64 = 0
            if let policy = retryPolicy { perTry = policy.perTryTimeoutNanos }
            let timeouts = ExchangeTimeouts(routeNanos: action.timeoutNanos, perTryNanos: perTry)
            routeTimeoutNanos = timeouts.globalNanos
            perTryTimeoutNanos = timeouts.perTryNanos
            requestScratch.clear()
            var writer = UpstreamRequestWriter(
                bytes: bytes, head: requestHead, http: listener.http, action: action, selection: selection,
                weighted: target.entry, skipExpect: requestHead.expectsContinue, remoteAddress: remoteAddressBytes,
                exchangeLines: listener.reporter == .source && cluster.exchangesMetadata ? worker.identity.exchangeHeaderLines : Self.noLines,
                overTLS: connection.tlsTerminated,
                authnLines: authnLines, authnDrops: authnDrops, upgrade: upgrading)
            if !listener.http.suppressEnvoyHeaders { writer.expectedTimeoutMillis = timeouts.expectedMillis }
            switch listener.http.forwardClientCert {
            case .sanitize: break
            case .forwardOnly: writer.forwardsClientCert = connection.mutualTLS
            case .alwaysForwardOnly: writer.forwardsClientCert = true
            case .appendForward, .sanitizeSet:
                if connection.mutualTLS {
                    writer.clientCertElement = connection.clientCertElement
                    writer.appendsClientCert = listener.http.forwardClientCert == .appendForward
                }
            }
            if let trace {
                writer.trace = trace.upstreamHeaders
                writer.traceState = trace.traceState
                writer.requestIDReason = trace.reason.rawValue
                // Envoy's egress side names the callee's span after its route.
                if listener.tracesEgress { writer.decoratorOperation = selection.route.operation }
            }
            let generatedID = writer.write(into: &requestScratch, random: &worker.random)
            if accessRecord != nil {
                noteForwardedHeaders(generatedRequestID: generatedID)
                if let rewritten = writer.rewrittenPath { notePathRewrite(bytes, scratchRange: rewritten) }
            }
            if trace?.sampled == true { noteTracedRequestID(generatedID) }
            if !action.mirrors.isEmpty { startMirrors(action) }
            return nil
        }
    }

    /// Request bytes for the upstream: written now, or kept until it connects.
    func sendUpstream(_ buffer: ByteBuffer) {
        if let upstream {
            upstream.write(buffer)
            needsUpstreamFlush = true
            if !upstream.isWritable { pauseDownstreamReads() }
        } else if waitingForConnection || faultDelaying {
            var buffer = buffer
            if pendingUpstream == nil {
                pendingUpstream = buffer
            } else {
                pendingUpstream!.writeBuffer(&buffer)
            }
            if pendingUpstream!.readableBytes > 1 << 16 { pauseDownstreamReads() }
        }
    }
}
