// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Finds a request header that Kestrel has no field for (<c>x-acgs-tenant</c>) in Kestrel's own dictionary of such
/// headers, skipping the comparisons that its public lookup makes first. Kestrel's request header collection
/// (<c>HttpRequestHeaders</c>, dotnet/aspnetcore <c>src/Servers/Kestrel/Core/src/Internal/Http/HttpHeaders.Generated.cs</c>)
/// answers <c>TryGetValue</c> by comparing the name, case-insensitively, with every header it knows of the same length,
/// and only then looks in its dictionary of the others (<c>MaybeUnknown</c>, case-insensitive). For a name that is none of
/// the known headers that dictionary is exactly the answer: the same value, found or not found alike. It is reached with
/// an <see cref="UnsafeAccessorAttribute"/> (no reflection per call; Native AOT compiles it) and used only when both hold:
/// the collection's type is Kestrel's request header collection (compared by reference to the type named once at
/// start), and a first comparison on a live request gave the same answer as the public lookup, with the dictionary
/// comparing names case-insensitively (checked once per instance: the sidecar's one <see cref="InboundMetering"/> holds
/// one). Otherwise (another server, tests' <see cref="HeaderDictionary"/>, a Kestrel whose internals differ) the public
/// lookup answers. Names passed here must not be headers Kestrel knows.
/// See docs/metering.md#cost-of-the-record-path.
/// </summary>
internal sealed class KestrelUnknownHeaders
{
    /// <summary>Kestrel's request header collection (null when the server's assembly has no such type).</summary>
    private static readonly Type? RequestHeaders =
        Type.GetType("Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpRequestHeaders, Microsoft.AspNetCore.Server.Kestrel.Core", throwOnError: false);

    /// <summary>0: not checked yet; 1: checked, the dictionary answers; -1: the public lookup answers.</summary>
    private int _state;

    /// <summary>True once the direct lookup has been checked on a live request and is in use.</summary>
    internal bool InUse => Volatile.Read(ref _state) > 0;

    /// <summary>
    /// The value of <paramref name="name"/> (a header Kestrel does not know) in <paramref name="headers"/>: exactly what
    /// <see cref="IDictionary{TKey,TValue}.TryGetValue"/> answers.
    /// </summary>
    public bool TryGetValue(IHeaderDictionary headers, string name, out StringValues value)
    {
        if (headers.GetType() == RequestHeaders)
        {
            var state = _state;
            if (state > 0)
            {
                if (MaybeUnknown(headers) is { } unknown)
                {
                    return unknown.TryGetValue(name, out value);
                }

                value = default;
                return false;
            }

            if (state == 0)
            {
                return Check(headers, name, out value);
            }
        }

        return headers.TryGetValue(name, out value);
    }

    /// <summary>The first requests on Kestrel's collection: the public answer, and whether the dictionary gives the same.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Check(IHeaderDictionary headers, string name, out StringValues value)
    {
        var found = headers.TryGetValue(name, out value);
        Dictionary<string, StringValues>? unknown;
        try
        {
            unknown = MaybeUnknown(headers);
        }
        catch (MissingFieldException)
        {
            Volatile.Write(ref _state, -1); // this Kestrel keeps its headers otherwise
            return found;
        }

        if (unknown is null)
        {
            if (found)
            {
                Volatile.Write(ref _state, -1);
            }

            return found; // undecided: a request without any unknown header does not show the dictionary's comparer
        }

        var same = ReferenceEquals(unknown.Comparer, StringComparer.OrdinalIgnoreCase)
            && unknown.TryGetValue(name, out var direct) == found && direct.Equals(value);
        Volatile.Write(ref _state, same ? 1 : -1);
        return found;
    }

    /// <summary>Kestrel's <c>HttpHeaders.MaybeUnknown</c> field of <paramref name="headers"/>, which must be Kestrel's.</summary>
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "MaybeUnknown")]
    private static extern ref Dictionary<string, StringValues>? MaybeUnknown(
        [UnsafeAccessorType("Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpHeaders, Microsoft.AspNetCore.Server.Kestrel.Core")] object headers);
}
