// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// A branch of YARP's proxy pipeline (<see cref="IApplicationBuilder.New"/> of the proxy builder)
/// seen as an <see cref="IReverseProxyApplicationBuilder"/>, so YARP's <c>Use…</c> steps can run
/// conditionally (see <see cref="SidecarPipeline"/>). Build time only.
/// </summary>
internal sealed class ProxyBranchBuilder : IReverseProxyApplicationBuilder
{
    private readonly IApplicationBuilder _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public ProxyBranchBuilder(IApplicationBuilder inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public IServiceProvider ApplicationServices
    {
        get => _inner.ApplicationServices;
        set => _inner.ApplicationServices = value;
    }

    /// <inheritdoc />
    public IFeatureCollection ServerFeatures => _inner.ServerFeatures;

    /// <inheritdoc />
    public IDictionary<string, object?> Properties => _inner.Properties;

    /// <inheritdoc />
    public RequestDelegate Build() => _inner.Build();

    /// <inheritdoc />
    public IApplicationBuilder New() => new ProxyBranchBuilder(_inner.New());

    /// <inheritdoc />
    public IApplicationBuilder Use(Func<RequestDelegate, RequestDelegate> middleware) => _inner.Use(middleware);
}
