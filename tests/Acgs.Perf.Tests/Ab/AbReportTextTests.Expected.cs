// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Tests.Ab;

/// <summary>The expected text of <see cref="AbReportTextTests"/>, as the summaries rendered it before their shared pairing was split out.</summary>
public sealed partial class AbReportTextTests
{
    private const string AbMarkdown = """
    | variant | vs | CPU µs/request (median of slices) | ratio | per-slice ratio 25th–75th | CPU µs/request (all slices) | ratio | managed B/request | own added p50 / p99 µs | end-to-end p50 / p99 ms | goal | verdict | slices | requests | OTLP exports received |
    |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|
    | off | — | 104.4 | — | — | 104.4 | — | 1998 | 50 / 150 | 0.200 / 0.800 | — | baseline | 6 | 60063 | — |
    | on | off | 107.1 | 1.026 (+2.6 %) | 1.012–1.040 | 107.1 | 1.026 (+2.6 %) | 2102 | n/a / 151 | 0.210 / 0.810 | ≤ +3.0 % | inconclusive (met on invalid rounds) | 5 | 49950 | — |
    | traced | off | 113.0 | 1.082 (+8.2 %) | 1.078–1.089 | 113.0 | 1.082 (+8.2 %) | n/a | 61 / 180 | 0.250 / 0.900 | — | measured | 6 | 60018 | 7 (4 KiB) |
    | orphan | missing | 120.0 | — | — | 120.0 | — | n/a | n/a / n/a | NaN / NaN | ≤ +10.0 % | invalid | 1 | 5000 | — |
    """ + "\n";

    private const string AbJson = """
    {
      "off": {
        "environment": {
          "ACGS_METERING": "false"
        },
        "baseline": null,
        "goal_ratio": null,
        "verdict": "baseline",
        "slices": 6,
        "requests": 60063,
        "cpu_us_per_request_median": 104.39,
        "cpu_us_per_request_total": 104.39,
        "cpu_ratio": null,
        "cpu_ratio_total": null,
        "cpu_ratio_per_slice_p25": null,
        "cpu_ratio_per_slice_p75": null,
        "managed_bytes_per_request_median": 1998,
        "own_added_p50_us": 50,
        "own_added_p99_us": 150,
        "end_to_end_p50_ms": 0.2,
        "end_to_end_p99_ms": 0.8,
        "valid_rounds": 2,
        "rounds": 2,
        "otlp_exports_received": 0,
        "otlp_bytes_received": 0
      },
      "on": {
        "environment": {},
        "baseline": "off",
        "goal_ratio": 1.03,
        "verdict": "inconclusive (met on invalid rounds)",
        "slices": 5,
        "requests": 49950,
        "cpu_us_per_request_median": 107.11,
        "cpu_us_per_request_total": 107.11,
        "cpu_ratio": 1.026,
        "cpu_ratio_total": 1.026,
        "cpu_ratio_per_slice_p25": 1.0116,
        "cpu_ratio_per_slice_p75": 1.0395,
        "managed_bytes_per_request_median": 2102.1,
        "own_added_p50_us": null,
        "own_added_p99_us": 151.4,
        "end_to_end_p50_ms": 0.21,
        "end_to_end_p99_ms": 0.81,
        "valid_rounds": 1,
        "rounds": 2,
        "otlp_exports_received": 0,
        "otlp_bytes_received": 0
      },
      "traced": {
        "environment": {
          "OTEL_EXPORTER_OTLP_ENDPOINT": "{otlp}"
        },
        "baseline": "off",
        "goal_ratio": null,
        "verdict": "measured",
        "slices": 6,
        "requests": 60018,
        "cpu_us_per_request_median": 112.97,
        "cpu_us_per_request_total": 112.97,
        "cpu_ratio": 1.0822,
        "cpu_ratio_total": 1.0822,
        "cpu_ratio_per_slice_p25": 1.0779,
        "cpu_ratio_per_slice_p75": 1.0889,
        "managed_bytes_per_request_median": null,
        "own_added_p50_us": 60.6,
        "own_added_p99_us": 180,
        "end_to_end_p50_ms": 0.25,
        "end_to_end_p99_ms": 0.9,
        "valid_rounds": 2,
        "rounds": 2,
        "otlp_exports_received": 7,
        "otlp_bytes_received": 4096
      },
      "orphan": {
        "environment": {},
        "baseline": "missing",
        "goal_ratio": 1.1,
        "verdict": "invalid",
        "slices": 1,
        "requests": 5000,
        "cpu_us_per_request_median": 120,
        "cpu_us_per_request_total": 120,
        "cpu_ratio": null,
        "cpu_ratio_total": null,
        "cpu_ratio_per_slice_p25": null,
        "cpu_ratio_per_slice_p75": null,
        "managed_bytes_per_request_median": null,
        "own_added_p50_us": null,
        "own_added_p99_us": null,
        "end_to_end_p50_ms": null,
        "end_to_end_p99_ms": null,
        "valid_rounds": 0,
        "rounds": 0,
        "otlp_exports_received": 0,
        "otlp_bytes_received": 0
      }
    }
    """;

    private const string HopMarkdown = """
    | variant | hop | vs | CPU µs/request: client sidecar | server sidecar | both | new TLS handshakes/s (server inbound) | end-to-end p50 / p90 / p99 ms | p90 Δ ms, median of paired slices (25th–75th) | p90 goal | p90 verdict | certificates renewed while measured |
    |---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|
    | plaintext | plaintext | — | 51.5 | 40.0 | 91.5 | 0.00 (0 in 60 s) | 0.400 / 0.900 / 5.000 | — | — | baseline | 0 |
    | mtls | mTLS | plaintext | 63.0 | 50.0 | 113.0 | 0.05 (3 in 60 s) | 0.450 / 0.950 / 6.250 | +0.050 (+0.035 to +0.065) | ≤ +0.1 ms | met | 2 |
    | mtls-h2 | mTLS | plaintext | 76.1 | 68.3 | 144.4 | n/a | 0.500 / 1.700 / 7.000 | +0.650 (+0.575 to +0.725) | — | measured | n/a |
    """ + "\n";

    private const string HopJson = """
    {
      "plaintext": {
        "hop": "plaintext",
        "baseline": null,
        "client_cpu_us_per_request_median": 51.5,
        "server_cpu_us_per_request_median": 40,
        "both_cpu_us_per_request_median": 91.5,
        "server_inbound_tls_handshakes": 0,
        "tls_handshakes_per_second": 0,
        "loaded_seconds": 60,
        "end_to_end_p50_ms": 0.4,
        "end_to_end_p90_ms": 0.9,
        "end_to_end_p99_ms": 5,
        "p90_delta_ms_median": null,
        "p90_delta_ms_p25": null,
        "p90_delta_ms_p75": null,
        "p90_goal_ms": null,
        "p90_verdict": "baseline",
        "certificates_renewed": 0
      },
      "mtls": {
        "hop": "mtls",
        "baseline": "plaintext",
        "client_cpu_us_per_request_median": 63.01,
        "server_cpu_us_per_request_median": 50.01,
        "both_cpu_us_per_request_median": 113.02,
        "server_inbound_tls_handshakes": 3,
        "tls_handshakes_per_second": 0.05,
        "loaded_seconds": 60,
        "end_to_end_p50_ms": 0.45,
        "end_to_end_p90_ms": 0.95,
        "end_to_end_p99_ms": 6.25,
        "p90_delta_ms_median": 0.05,
        "p90_delta_ms_p25": 0.035,
        "p90_delta_ms_p75": 0.065,
        "p90_goal_ms": 0.1,
        "p90_verdict": "met",
        "certificates_renewed": 2
      },
      "mtls-h2": {
        "hop": "mtls",
        "baseline": "plaintext",
        "client_cpu_us_per_request_median": 76.11,
        "server_cpu_us_per_request_median": 68.33,
        "both_cpu_us_per_request_median": 144.44,
        "server_inbound_tls_handshakes": null,
        "tls_handshakes_per_second": null,
        "loaded_seconds": 60,
        "end_to_end_p50_ms": 0.5,
        "end_to_end_p90_ms": 1.7,
        "end_to_end_p99_ms": 7,
        "p90_delta_ms_median": 0.65,
        "p90_delta_ms_p25": 0.575,
        "p90_delta_ms_p75": 0.725,
        "p90_goal_ms": null,
        "p90_verdict": "measured",
        "certificates_renewed": null
      }
    }
    """;
}
