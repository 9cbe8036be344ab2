// Constitutional Hash: cdd01ef066bc6cf2

using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Keeps ASP.NET Core data-protection keys in this process's memory only. YARP registers data protection (for its
/// session-affinity cookies) and the framework would otherwise write an unencrypted key ring to
/// <c>$HOME/.aspnet/DataProtection-Keys</c> at start: secret key material on disk, which the sidecar never writes.
/// Affinity cookies issued before a restart are then no longer valid; a request carrying one gets a new affinity.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];
    private readonly Lock _gate = new();

    /// <inheritdoc/>
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_gate)
        {
            var copy = new List<XElement>(_elements.Count);
            foreach (var element in _elements)
            {
                copy.Add(new XElement(element));
            }

            return copy;
        }
    }

    /// <inheritdoc/>
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        lock (_gate)
        {
            _elements.Add(new XElement(element));
        }
    }
}
