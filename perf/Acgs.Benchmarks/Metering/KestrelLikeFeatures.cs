// Constitutional Hash: cdd01ef066bc6cf2

#pragma warning disable CA2252 // IHttpWebTransportFeature is a preview feature; only its type is compared here

using System.Collections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Acgs.Benchmarks.Metering;

/// <summary>
/// A feature collection that finds features the way Kestrel's do, for benchmarks of per-request code that fetches
/// features (Kestrel's collections are internal types that need a live connection). Kestrel's request collection is
/// its <c>HttpProtocol</c> (dotnet/aspnetcore, <c>src/Servers/Kestrel/Core/src/Internal/Http/HttpProtocol.Generated.cs</c>):
/// every feature the server knows has a field of its own, found by comparing the requested type with each known type
/// in turn (<see cref="RequestSlots"/>, in that file's order); any other feature is kept in a short list of extras
/// searched in order; a feature not found there (or null) is looked up in the connection's collection
/// (<c>TransportConnection</c>: a few known types, <see cref="ConnectionSlots"/>, then its extras, where the TLS
/// middleware's features and the sidecar's <c>PeerIdentityFeature</c> are). Each set increments
/// <see cref="Revision"/>, as Kestrel's do, which makes <c>DefaultHttpContext</c> fetch its cached features again.
/// The difference from Kestrel: a loop over an array of types, compared by reference (runtime types are unique), instead
/// of generated <c>if</c>/<c>else</c> chains of <c>typeof</c> compares.
/// </summary>
public sealed class KestrelLikeFeatures : IFeatureCollection
{
    /// <summary>The request features Kestrel's <c>HttpProtocol</c> keeps in fields, in the order it compares them.</summary>
    public static readonly Type[] RequestSlots =
    [
        typeof(IHttpRequestFeature), typeof(IHttpResponseFeature), typeof(IHttpResponseBodyFeature), typeof(IRouteValuesFeature),
        typeof(IEndpointFeature), typeof(IServiceProvidersFeature), typeof(IHttpActivityFeature), typeof(IHttpMetricsTagsFeature),
        typeof(IItemsFeature), typeof(IQueryFeature), typeof(IRequestBodyPipeFeature), typeof(IFormFeature),
        typeof(IHttpAuthenticationFeature), typeof(IHttpRequestIdentifierFeature), typeof(IHttpConnectionFeature), typeof(ISessionFeature),
        typeof(IResponseCookiesFeature), typeof(IHttpRequestTrailersFeature), typeof(IHttpResponseTrailersFeature), typeof(ITlsConnectionFeature),
        typeof(IHttpExtendedConnectFeature), typeof(IHttpUpgradeFeature), typeof(IHttpWebSocketFeature), typeof(IHttpWebTransportFeature),
        typeof(IBadRequestExceptionFeature), typeof(IHttpRequestTimeoutFeature), typeof(IHttp2StreamIdFeature), typeof(IHttpRequestLifetimeFeature),
        typeof(IHttpMaxRequestBodySizeFeature), typeof(IHttpMinRequestBodyDataRateFeature), typeof(IHttpMinResponseDataRateFeature), typeof(IHttpBodyControlFeature),
        typeof(IHttpRequestBodyDetectionFeature), typeof(IHttpResetFeature), typeof(IPersistentStateFeature),
    ];

    /// <summary>The connection features Kestrel's <c>TransportConnection</c> keeps in fields, in its order.</summary>
    public static readonly Type[] ConnectionSlots =
    [
        typeof(IConnectionIdFeature), typeof(IConnectionTransportFeature), typeof(IConnectionItemsFeature), typeof(IMemoryPoolFeature),
        typeof(IConnectionLifetimeFeature),
    ];

    private readonly Type[] _types;
    private readonly object?[] _slots;
    private readonly List<KeyValuePair<Type, object>> _extra = new(8);
    private readonly IFeatureCollection? _connection;
    private int _revision;

    /// <summary>A collection with fields for <paramref name="slotTypes"/>, falling back to <paramref name="connection"/>.</summary>
    public KestrelLikeFeatures(Type[] slotTypes, IFeatureCollection? connection)
    {
        _types = slotTypes;
        _slots = new object?[slotTypes.Length];
        _connection = connection;
    }

    /// <inheritdoc/>
    public bool IsReadOnly => false;

    /// <inheritdoc/>
    public int Revision => _revision;

    /// <inheritdoc/>
    public object? this[Type key]
    {
        get
        {
            object? feature = null;
            var types = _types;
            var known = false;
            for (var i = 0; i < types.Length; i++)
            {
                if (ReferenceEquals(types[i], key))
                {
                    feature = _slots[i];
                    known = true;
                    break;
                }
            }

            if (!known)
            {
                for (var i = 0; i < _extra.Count; i++)
                {
                    if (ReferenceEquals(_extra[i].Key, key))
                    {
                        feature = _extra[i].Value;
                        break;
                    }
                }
            }

            return feature ?? _connection?[key];
        }

        set
        {
            _revision++;
            var types = _types;
            for (var i = 0; i < types.Length; i++)
            {
                if (ReferenceEquals(types[i], key))
                {
                    _slots[i] = value;
                    return;
                }
            }

            for (var i = 0; i < _extra.Count; i++)
            {
                if (ReferenceEquals(_extra[i].Key, key))
                {
                    if (value is null)
                    {
                        _extra.RemoveAt(i);
                    }
                    else
                    {
                        _extra[i] = new KeyValuePair<Type, object>(key, value);
                    }

                    return;
                }
            }

            if (value is not null)
            {
                _extra.Add(new KeyValuePair<Type, object>(key, value));
            }
        }
    }

    /// <inheritdoc/>
    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    /// <inheritdoc/>
    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        for (var i = 0; i < _types.Length; i++)
        {
            if (_slots[i] is { } feature)
            {
                yield return new KeyValuePair<Type, object>(_types[i], feature);
            }
        }

        foreach (var extra in _extra)
        {
            yield return extra;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
