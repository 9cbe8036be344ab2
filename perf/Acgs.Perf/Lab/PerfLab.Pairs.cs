// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Perf.Ab;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Lab;

/// <summary>The pair lab of <c>./acgs perf ab --variants mtls</c>: a local control plane (embedded store, its generated
/// CA, sidecars authenticated by their workload certificates), the backend, and per variant two sidecars of the same
/// binary with workload identities from join tokens — <c>&lt;variant&gt;-server</c> in front of the backend and
/// <c>&lt;variant&gt;-client</c>, whose outbound route to the server comes from the control plane's discovery. The load
/// goes to the client's outbound port with <c>Host: &lt;variant&gt;-server</c>: generator → client sidecar → server
/// sidecar → backend. A plaintext hop sets the client's <c>MutualTls</c> to <c>disabled</c>; an mTLS hop sets the
/// server's to <c>strict</c>, so a plaintext hop there would fail every request.</summary>
internal sealed partial class PerfLab
{
    private async Task StartPairsAsync(string root, string configuration, PerfSettings settings, TextWriter log, CancellationToken ct)
    {
        var backendPort = await StartBackendAsync(BuildOutput(root, configuration, "perf/Acgs.PerfBackend"), log, ct).ConfigureAwait(false);
        var controlPlane = await StartControlPlaneAsync(BuildOutput(root, configuration, "controlplane/Acgs.ControlPlane"), settings.CertTtl, log, ct).ConfigureAwait(false);
        using var admin = new HttpClient { BaseAddress = controlPlane, Timeout = TimeSpan.FromSeconds(10) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        var binary = _sidecar.Binary;
        foreach (var v in settings.Variants)
        {
            string server = v.Name + "-server", client = v.Name + "-client";
            if (v.Hop == AbHop.Mtls)
            {
                await MutualTlsPolicyAsync(admin, server, "strict", ct).ConfigureAwait(false);
            }
            else
            {
                await MutualTlsPolicyAsync(admin, client, "disabled", ct).ConfigureAwait(false);
            }

            var (serverProcess, _, serverAdmin) = await StartIdentitySidecarAsync(binary, backendPort, server, controlPlane, admin, v, log, ct).ConfigureAwait(false);
            var (clientProcess, outbound, clientAdmin) = await StartIdentitySidecarAsync(binary, backendPort, client, controlPlane, admin, v, log, ct).ConfigureAwait(false);
            await ReadyAsync(clientProcess, outbound, ct, hashHeader: true, host: server).ConfigureAwait(false); // the route and the hop work
            Add(TargetKind.Sidecar, v.Name, outbound, clientProcess, true, adminUri: clientAdmin, peer: serverProcess, peerAdminUri: serverAdmin, host: server);
            Record(v.Name, binary);
            log.WriteLine($"{v.Name,-9} pair: load -> {client} outbound {outbound} (Host: {server}) -> {server} -> backend; hop {(v.Hop == AbHop.Mtls ? "mTLS (server strict)" : "plaintext (client MutualTls disabled)")}");
        }
    }

    private async Task<Uri> StartControlPlaneAsync(string dll, string? certTtl, TextWriter log, CancellationToken ct)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"control plane not built: {dll} (./acgs perf builds it)");
        }

        Record("control-plane", dll, "jit");

        var port = FreePort.Next();
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ACGS_CONTROL_PLANE_PORT"] = Inv(port),
            ["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1",
            ["ACGS_DATA_DIR"] = Directory.CreateDirectory(Path.Combine(WorkDir, "controlplane")).FullName,
            ["ACGS_ADMIN_TOKEN"] = AdminToken,
            ["ACGS_SIDECAR_AUTH"] = "identity",
            ["REDIS_URL"] = "",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var kv in DotnetEnvironment)
        {
            env[kv.Key] = kv.Value;
        }

        if (certTtl is not null)
        {
            env["ACGS_CERT_TTL"] = certTtl;
            _notes.Add($"workload certificates: ACGS_CERT_TTL={certTtl} (renewed at about half of it, under load)");
        }

        var p = Start("controlplane", "dotnet", [dll], env, inherit: false);
        var uri = Loopback(port);
        await ReadyAsync(p, new Uri(uri, "health/ready"), ct).ConfigureAwait(false);
        log.WriteLine($"control plane {uri} (pid {p.Pid}, generated CA, ACGS_SIDECAR_AUTH=identity)");
        return uri;
    }

    private static async Task MutualTlsPolicyAsync(HttpClient admin, string service, string mode, CancellationToken ct)
    {
        var id = service + "-mtls";
        await CheckAsync(await admin.PostAsJsonAsync("api/v1/policies", new JsonObject { ["id"] = id }, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var content = new JsonObject
        {
            ["kind"] = "MutualTls",
            ["name"] = id,
            ["target"] = service,
            ["constitutional_hash"] = Hash,
            ["spec"] = new JsonObject { ["mode"] = mode },
        };
        await CheckAsync(await admin.PostAsJsonAsync($"api/v1/policies/{id}/versions", new JsonObject { ["version"] = "1.0.0", ["content"] = content }, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        await CheckAsync(await admin.PutAsync(new Uri($"api/v1/policies/{id}/activate?version=1.0.0", UriKind.Relative), null, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    private static async Task<JsonNode?> CheckAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"control plane {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: HTTP {(int)response.StatusCode}: {body}");
            }

            return body.Length == 0 ? null : JsonNode.Parse(body);
        }
    }

    private async Task<(ChildProcess Process, Uri Outbound, Uri Admin)> StartIdentitySidecarAsync(
        string binary, int backendPort, string service, Uri controlPlane, HttpClient admin, AbVariant variant, TextWriter log, CancellationToken ct)
    {
        var minted = await CheckAsync(await admin.PostAsJsonAsync("api/v1/identity/join-tokens",
            new JsonObject { ["service"] = service, ["constitutional_hash"] = Hash, ["ttl_seconds"] = 600 }, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ACGS_SERVICE_NAME"] = service,
            ["ACGS_NODE_ID"] = service + "-perf",
            ["ACGS_CONTROL_PLANE_URL"] = controlPlane.AbsoluteUri.TrimEnd('/'),
            ["ACGS_JOIN_TOKEN"] = (string)minted!["token"]!,
            ["ACGS_LKG_PATH"] = Path.Combine(WorkDir, service + "-lkg.json"),
        };
        foreach (var kv in variant.Resolve(null))
        {
            env[kv.Key] = kv.Value;
        }

        var (p, _, outbound, adminUri) = await SpawnSidecarAsync(Start, binary, backendPort, service, env, probeInbound: false, ct).ConfigureAwait(false);
        log.WriteLine($"{service,-16} pid {p.Pid}, admin {adminUri}, identity spiffe://acgs.local/svc/{service}");
        return (p, outbound, adminUri);
    }
}
