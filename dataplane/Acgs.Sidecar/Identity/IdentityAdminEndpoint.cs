// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Admin;
using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Identity;

/// <summary><c>GET /identity</c> on the admin listener: whether identity is on, the certificate in use (never the key) and the last error.</summary>
internal static class IdentityAdminEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/identity", Get).WithMetadata(ListenerMetadata.Admin);

    private static Task Get(HttpContext context)
    {
        var identity = context.RequestServices.GetRequiredService<WorkloadIdentity>();
        var current = identity.Current;
        var status = !identity.Enabled || current is not null ? 200 : 503;
        return AdminJson.WriteAsync(context, status, (identity, current), static (w, s) =>
        {
            var (identity, current) = s;
            w.WriteStartObject();
            w.WriteBoolean("enabled", identity.Enabled);
            if (current is not null)
            {
                w.WriteString("spiffe_id", current.SpiffeId);
                w.WriteString("constitutional_hash", current.ConstitutionalHash);
                w.WriteString("serial", current.Serial);
                w.WriteString("not_before", current.NotBefore);
                w.WriteString("not_after", current.NotAfter);
                w.WriteNumber("trust_anchors", current.AnchorsPem.Length);
            }

            w.WriteNumber("certificates_obtained", identity.Certificates);
            if (identity.LastError is { } error)
            {
                w.WriteString("last_error", error);
            }

            w.WriteEndObject();
        });
    }
}
