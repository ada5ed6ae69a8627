#!/usr/bin/env python3
"""HTTP/2 edge cases against an h2c (prior knowledge) listener, with the `h2`
library from PyPI: each case opens its own connection, sends well-formed or
deliberately malformed frames, and reports what came back (a status, a stream
reset with its error code, a GOAWAY with its error code, a PING ack, or
nothing). Prints one JSON object {case: outcome}.

usage: h2_edge_cases.py PORT
"""
import json
import socket
import sys

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings
import hyperframe.frame

HOST = "127.0.0.1"


def connect(port):
    sock = socket.create_connection((HOST, port), timeout=3)
    config = h2.config.H2Configuration(client_side=True, validate_outbound_headers=False,
                                       normalize_outbound_headers=False, validate_inbound_headers=False,
                                       header_encoding=None)
    conn = h2.connection.H2Connection(config=config)
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return sock, conn


def base_headers(method="GET", path="/h2"):
    return [(":method", method), (":scheme", "http"), (":authority", "edge.test"), (":path", path)]


def collect(sock, conn, want_streams, seconds=4.0):
    """Reads events until every stream in want_streams ended or the connection did."""
    outcome = {}
    pending = set(want_streams)
    sock.settimeout(seconds)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                outcome.setdefault("connection", "closed")
                break
            try:
                events = conn.receive_data(data)
            except h2.exceptions.ProtocolError as error:
                outcome["connection"] = "client-protocol-error"
                break
            for event in events:
                if isinstance(event, h2.events.ResponseReceived):
                    status = dict((k.decode() if isinstance(k, bytes) else k, v) for k, v in event.headers).get(":status")
                    outcome[event.stream_id] = "status " + (status.decode() if isinstance(status, bytes) else str(status))
                elif isinstance(event, h2.events.StreamReset):
                    outcome.setdefault(event.stream_id, "reset " + h2.errors.ErrorCodes(event.error_code).name)
                    pending.discard(event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    pending.discard(event.stream_id)
                elif isinstance(event, h2.events.ConnectionTerminated):
                    outcome["connection"] = "goaway " + h2.errors.ErrorCodes(event.error_code).name
                elif isinstance(event, h2.events.PingAckReceived):
                    outcome["ping"] = "ack"
                elif isinstance(event, h2.events.DataReceived):
                    conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            out = conn.data_to_send()
            if out:
                sock.sendall(out)
            if "connection" in outcome or (want_streams and not pending and "ping" not in want_streams):
                break
            if "ping" in want_streams and "ping" in outcome:
                break
    except socket.timeout:
        pass
    except (ConnectionResetError, BrokenPipeError):
        outcome.setdefault("connection", "reset")
    sock.close()
    return outcome


def summary(outcome, stream=1):
    if stream in outcome:
        return outcome[stream]
    return outcome.get("connection", "no answer")


def send_raw_headers(conn, sock, stream_id, headers, end_stream=True):
    conn.send_headers(stream_id, headers, end_stream=end_stream)
    sock.sendall(conn.data_to_send())


def guarded(case):
    """A peer that closes while we still send is a refusal, not a script error."""
    def run(*args, **kwargs):
        try:
            return case(*args, **kwargs)
        except (ConnectionResetError, BrokenPipeError):
            return "reset"
        except socket.timeout:
            return "no answer"
    return run


@guarded
def case_simple(port, headers, body=None, trailers=None):
    sock, conn = connect(port)
    send_raw_headers(conn, sock, 1, headers, end_stream=body is None and trailers is None)
    if body is not None:
        conn.send_data(1, body, end_stream=trailers is None)
    if trailers is not None:
        conn.send_headers(1, trailers, end_stream=True)
    sock.sendall(conn.data_to_send())
    return summary(collect(sock, conn, {1}))


@guarded
def raw_frame(port, frame):
    """Sends one frame built by hand after the handshake (bypassing h2's state checks)."""
    sock, conn = connect(port)
    sock.sendall(frame.serialize())
    outcome = collect(sock, conn, {frame.stream_id} if frame.stream_id else set())
    return outcome.get(frame.stream_id) or outcome.get("connection", "no answer")


def wait_for_settings(sock, conn):
    """Reads until the server's SETTINGS arrived (and acknowledges them), as
    nghttp2-based clients do before opening more than 100 streams."""
    sock.settimeout(3)
    while True:
        data = sock.recv(65536)
        if not data:
            return
        events = conn.receive_data(data)
        sock.sendall(conn.data_to_send())
        if any(isinstance(event, h2.events.RemoteSettingsChanged) for event in events):
            return


@guarded
def case_many_streams(port, count=150):
    sock, conn = connect(port)
    wait_for_settings(sock, conn)
    for index in range(count):
        conn.send_headers(1 + 2 * index, base_headers(), end_stream=True)
    sock.sendall(conn.data_to_send())
    outcome = collect(sock, conn, {1 + 2 * i for i in range(count)}, seconds=5.0)
    ok = sum(1 for key, value in outcome.items() if isinstance(key, int) and value == "status 200")
    return "200s=%d" % ok if ok == count else "200s=%d others=%s" % (ok, sorted(set(v for k, v in outcome.items() if v != "status 200")))


def main():
    port = int(sys.argv[1])
    huge = "x" * (100 * 1024)
    headers_then_regular = [("x-first", "1")] + base_headers()
    header_frame_even = hyperframe.frame.HeadersFrame(2)
    header_frame_even.flags.add("END_HEADERS")
    header_frame_even.flags.add("END_STREAM")
    import hpack
    header_frame_even.data = hpack.Encoder().encode(base_headers())
    data_on_idle = hyperframe.frame.DataFrame(5)
    data_on_idle.data = b"hello"
    window_overflow = hyperframe.frame.WindowUpdateFrame(0)
    window_overflow.window_increment = 2 ** 31 - 1
    zero_window = hyperframe.frame.WindowUpdateFrame(0)
    zero_window.window_increment = 0
    results = {
        "get": case_simple(port, base_headers()),
        "post_body": case_simple(port, base_headers("POST", "/pkg.Echo/Say") + [("content-type", "application/grpc"), ("content-length", "5")],
                                 body=b"\x00\x00\x00\x00\x00"),
        "post_trailers": case_simple(port, base_headers("POST", "/pkg.Echo/Say") + [("content-type", "application/grpc"), ("te", "trailers")],
                                     body=b"\x00\x00\x00\x00\x00", trailers=[("x-checksum", "1")]),
        "uppercase_header_name": case_simple(port, base_headers() + [("X-Upper", "1")]),
        "missing_path": case_simple(port, [(":method", "GET"), (":scheme", "http"), (":authority", "edge.test")]),
        "missing_method": case_simple(port, [(":scheme", "http"), (":authority", "edge.test"), (":path", "/h2")]),
        "unknown_pseudo_header": case_simple(port, base_headers() + [(":foo", "bar")]),
        "pseudo_after_regular": case_simple(port, headers_then_regular),
        "connection_header": case_simple(port, base_headers() + [("connection", "keep-alive")]),
        "te_not_trailers": case_simple(port, base_headers() + [("te", "gzip")]),
        "content_length_mismatch": case_simple(port, base_headers("POST") + [("content-length", "10")], body=b"hello"),
        "header_value_newline": case_simple(port, base_headers() + [("x-bad", "a\nb")]),
        "huge_header": case_simple(port, base_headers() + [("x-huge", huge)]),
        "empty_path": case_simple(port, [(":method", "GET"), (":scheme", "http"), (":authority", "edge.test"), (":path", "")]),
        "connect_without_authority": case_simple(port, [(":method", "CONNECT"), (":path", "/x")]),
        "even_stream_id": raw_frame(port, header_frame_even),
        "data_on_idle_stream": raw_frame(port, data_on_idle),
        "window_overflow": raw_frame(port, window_overflow),
        "zero_window_update": raw_frame(port, zero_window),
        "many_streams": case_many_streams(port),
    }
    sock, conn = connect(port)
    conn.ping(b"12345678")
    sock.sendall(conn.data_to_send())
    results["ping"] = collect(sock, conn, {"ping"}).get("ping", "no ack")
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
