// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Contracts.RateLimiting;
using Acgs.Core;
using Acgs.Sidecar.Metering;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>
/// The tenant lookup in Kestrel's dictionary of unknown request headers: on a real Kestrel server it answers exactly as
/// the public lookup for every shape of request (found in any case, absent, absent with other unknown headers, no
/// unknown header at all, repeated, in another case), and is then in use; on any other header collection
/// the public lookup answers.
/// </summary>
public sealed class KestrelUnknownHeadersTests
{
    [Fact]
    public async Task TryGetValue_RealKestrelRequests_ExactAnswerAndDictionaryInUse()
    {
        var lookup = new KestrelUnknownHeaders();
        await using var server = await KestrelTestServer.StartAsync(context =>
        {
            var headers = context.Request.Headers;
            var found = lookup.TryGetValue(headers, RateLimits.TenantHeader, out var value);
            var expected = headers.TryGetValue(RateLimits.TenantHeader, out var expectedValue);
            var answer = $"{found}|{string.Join(',', value.ToArray())}|{expected}|{string.Join(',', expectedValue.ToArray())}|{lookup.InUse}";
            return context.Response.WriteAsync(answer, context.RequestAborted);
        });
        using var client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        var token = CancellationToken.None;

        // No unknown header at all: nothing shows the dictionary yet, so the public lookup answers.
        Assert.Equal("False||False||False", await SendAsync(client, [], HttpVersion.Version11, token));
        Assert.Equal("True|tenant-a|True|tenant-a|True", await SendAsync(client, [(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash), (RateLimits.TenantHeader, "tenant-a")], HttpVersion.Version11, token));
        Assert.Equal("True|tenant-b|True|tenant-b|True", await SendAsync(client, [("X-ACGS-Tenant", "tenant-b")], HttpVersion.Version11, token));
        Assert.Equal("False||False||True", await SendAsync(client, [(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash)], HttpVersion.Version11, token));
        Assert.Equal("False||False||True", await SendAsync(client, [], HttpVersion.Version11, token));
        var repeated = (await SendAsync(client, [(RateLimits.TenantHeader, "a"), (RateLimits.TenantHeader, "b")], HttpVersion.Version11, token)).Split('|');
        Assert.Equal(("True", "True", "True"), (repeated[0], repeated[2], repeated[4]));
        Assert.Equal(repeated[3], repeated[1]);
        Assert.Contains("b", repeated[1], StringComparison.Ordinal);
        Assert.Equal("True|Tenant-D|True|Tenant-D|True", await SendAsync(client, [(RateLimits.TenantHeader.ToUpperInvariant(), "Tenant-D")], HttpVersion.Version11, token));
        Assert.Equal("True|tenant-c|True|tenant-c|True", await SendAsync(client, [("x-other", "1"), (RateLimits.TenantHeader, "tenant-c")], HttpVersion.Version11, token));
        Assert.Equal("False||False||True", await SendAsync(client, [("x-other", "1")], HttpVersion.Version11, token));
        Assert.True(lookup.InUse);
    }

    [Fact]
    public void TryGetValue_HeaderDictionary_PublicLookupAnswersAndDictionaryNotUsed()
    {
        var lookup = new KestrelUnknownHeaders();
        var headers = new HeaderDictionary { [AcgsConstants.HashHeaderName] = AcgsConstants.ConstitutionalHash, ["X-Acgs-Tenant"] = "tenant-a" };

        Assert.True(lookup.TryGetValue(headers, RateLimits.TenantHeader, out var value));
        Assert.Equal("tenant-a", value.ToString());
        Assert.False(lookup.TryGetValue(new HeaderDictionary(), RateLimits.TenantHeader, out value));
        Assert.Equal(0, value.Count);
        Assert.False(lookup.InUse);
    }

    private static async Task<string> SendAsync(HttpClient client, (string Name, string Value)[] headers, Version version, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, token);
        Assert.Equal(version, response.Version);
        return await response.Content.ReadAsStringAsync(token);
    }
}
