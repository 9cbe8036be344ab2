// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Text.Json;
using Acgs.Contracts.Identity;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// The one HTTP call of the identity feature: <c>POST /api/v1/identity/csr</c>, bodies through
/// <see cref="IdentityJsonContext"/>. Kept in one small class so it can move onto the sidecar's shared control-plane client.
/// </summary>
internal sealed class IdentityClient : IDisposable
{
    private readonly HttpClient _http;

    public IdentityClient(Uri controlPlane, HttpMessageHandler? handler = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }) { BaseAddress = controlPlane, Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>Sends <paramref name="request"/>; throws <see cref="IdentityRequestException"/> on a refusal, <see cref="HttpRequestException"/> when unreachable.</summary>
    public async Task<CsrResponse> SignAsync(CsrRequest request, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, IdentityJsonContext.Default.CsrRequest));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(new Uri(IdentityPaths.Csr, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return JsonSerializer.Deserialize(body, IdentityJsonContext.Default.CsrResponse)
                ?? throw new IdentityRequestException("the control plane answered an empty certificate response");
        }

        var reason = string.Empty;
        try
        {
            using var problem = JsonDocument.Parse(body);
            reason = problem.RootElement.TryGetProperty("reason", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
        }
        catch (JsonException)
        {
        }

        throw new IdentityRequestException((int)response.StatusCode, reason);
    }

    public void Dispose() => _http.Dispose();
}
