// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Net;
using Acgs.Contracts.Authorization;

namespace Acgs.Sidecar.Tests.Authorization;

/// <summary>
/// Policy changes applied while requests flow through real sidecars: every request gets an answer one of the two
/// policies gives (no error, no torn state), and both policies were seen in force.
/// </summary>
public sealed class AuthorizationSwapUnderLoadTests : IClassFixture<AuthorizationMeshFixture>
{
    private readonly AuthorizationMesh _mesh;

    public AuthorizationSwapUnderLoadTests(AuthorizationMeshFixture fixture) => _mesh = fixture.Mesh;

    // A: frontend may call /a and /both; B: frontend may call /b and /both. Plaintext may call nothing under either.
    private static AuthorizationConfig Policy(string name, string path) => new()
    {
        Policies =
        [
            new AuthorizationPolicyConfig
            {
                Name = name,
                Rules = [new AuthorizationRule { From = ["frontend"], To = new AuthorizationTarget { Paths = [path, "/both"] } }],
            },
        ],
    };

    [Fact]
    public async Task Apply_PolicyChangesUnderLoad_NoErrorsAndNoTornDecisions()
    {
        var a = Policy("swap-a", "/a");
        var b = Policy("swap-b", "/b");
        await _mesh.ApplyAsync(a);
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<(string Path, HttpStatusCode Status), byte>();
        using var stop = new CancellationTokenSource();
        var requests = 0;

        async Task LoadAsync(string caller, string path, HttpStatusCode[] allowed)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await _mesh.CallAsync(caller, path);
                    seen.TryAdd((path, response.StatusCode), 0);
                    if (Array.IndexOf(allowed, response.StatusCode) < 0)
                    {
                        failures.Enqueue($"{caller} {path}: {(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Enqueue($"{caller} {path}: {ex.Message}");
                }

                Interlocked.Increment(ref requests);
            }
        }

        var load = Task.WhenAll(
            LoadAsync("frontend", "/both", [HttpStatusCode.OK]),
            LoadAsync("frontend", "/a", [HttpStatusCode.OK, HttpStatusCode.Forbidden]),
            LoadAsync("frontend", "/b", [HttpStatusCode.OK, HttpStatusCode.Forbidden]),
            LoadAsync("plaintext", "/both", [HttpStatusCode.Forbidden]));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var applies = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(4) || applies < 20)
        {
            await _mesh.ApplyAsync(applies++ % 2 == 0 ? b : a);
        }

        await stop.CancelAsync();
        await load;

        Assert.Empty(failures);
        Assert.True(requests > 100, $"only {requests} requests");
        Assert.True(seen.ContainsKey(("/a", HttpStatusCode.OK)) && seen.ContainsKey(("/a", HttpStatusCode.Forbidden)), "policy A and B were not both seen in force on /a");
    }
}
