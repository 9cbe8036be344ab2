// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Contracts.ControlPlane;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Delta lines (<see cref="WatchLines.DeltaType"/>): the client keeps the JSON of the snapshot it ACKed last; a delta whose
/// <c>base</c> is that version is applied to a copy of it (<see cref="JsonMergePatch"/>) and the result goes through the same
/// parse, validation and apply as a full snapshot. Any other delta is NACKed, and the control plane sends the full snapshot
/// instead (and no more deltas on this stream).
/// </summary>
internal sealed partial class ControlPlaneWatchClient
{
    private JsonObject? _base;
    private string? _baseVersion;

    /// <summary>Puts the patched snapshot into <paramref name="message"/> as <c>snapshot</c>; else the reason the delta is refused.</summary>
    private string? Patch(JsonObject message)
    {
        var from = (string?)message["base"];
        if (_base is null || from is null || !string.Equals(from, _baseVersion, StringComparison.Ordinal))
        {
            return "delta: base '" + from + "' is not the snapshot this sidecar holds ('" + _baseVersion + "')";
        }

        if (message["patch"] is not JsonObject patch)
        {
            return "delta: patch missing";
        }

        var snapshot = _base.DeepClone().AsObject();
        JsonMergePatch.Apply(snapshot, patch);
        message["snapshot"] = snapshot;
        return null;
    }

    /// <summary>Keeps an ACKed line's snapshot JSON as the base of the next delta.</summary>
    private void Retain(JsonObject message, string version)
    {
        if (message["snapshot"] is JsonObject snapshot)
        {
            _base = snapshot;
            _baseVersion = version;
        }
    }
}
