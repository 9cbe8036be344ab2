// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Metering;

/// <summary>Validates a <see cref="MeteringBatch"/>: 1–64 windows, all of one service and node, well-formed rows.</summary>
public static class MeteringBatchValidator
{
    /// <summary>Longest window id.</summary>
    public const int MaxIdLength = 512;

    /// <summary>Longest name in a row.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Every problem of <paramref name="batch"/>, each with its path.</summary>
    public static ValidationResult Validate(MeteringBatch? batch)
    {
        var errors = new ValidationBuilder();
        if (batch is null)
        {
            return errors.Add("body", "must be a metering batch").Build();
        }

        if (batch.Windows.IsEmpty || batch.Windows.Length > MeteringBatch.MaxWindows)
        {
            errors.Add("windows", string.Create(CultureInfo.InvariantCulture, $"must hold 1 to {MeteringBatch.MaxWindows} windows, got {batch.Windows.Length}"));
        }

        for (var i = 0; i < batch.Windows.Length && i < MeteringBatch.MaxWindows; i++)
        {
            var at = ValidationPath.Index("windows", i);
            if (batch.Windows[i] is not { } window)
            {
                errors.Add(at, "must be an object");
                continue;
            }

            ValidateWindow(window, batch.Windows[0], errors, at);
        }

        return errors.Build();
    }

    private static void ValidateWindow(MeteringWindow window, MeteringWindow first, ValidationBuilder errors, string at)
    {
        errors.Identifier(window.Id, ValidationPath.Child(at, "id"), MaxIdLength);
        if (!ServiceName.IsValid(window.Service))
        {
            errors.Add(ValidationPath.Child(at, "service"), "must be a service name");
        }
        else if (!string.Equals(window.Service, first.Service, StringComparison.Ordinal) || !string.Equals(window.Node, first.Node, StringComparison.Ordinal))
        {
            errors.Add(ValidationPath.Child(at, "service"), "every window of a batch must be of one service and node");
        }

        errors.Identifier(window.Node, ValidationPath.Child(at, "node"), MaxNameLength);
        if (window.StartUnixMs <= 0 || window.EndUnixMs < window.StartUnixMs)
        {
            errors.Add(ValidationPath.Child(at, "end_unix_ms"), "must not be before start_unix_ms (both positive Unix milliseconds)");
        }

        if (window.Rows.Length > MeteringWindow.MaxRows)
        {
            errors.Add(ValidationPath.Child(at, "rows"), string.Create(CultureInfo.InvariantCulture, $"must hold at most {MeteringWindow.MaxRows} rows, got {window.Rows.Length}"));
            return;
        }

        for (var r = 0; r < window.Rows.Length; r++)
        {
            var path = ValidationPath.Index(ValidationPath.Child(at, "rows"), r);
            if (window.Rows[r] is not { } row)
            {
                errors.Add(path, "must be an object");
                continue;
            }

            if (row.Kind is not (MeteringKinds.Http or MeteringKinds.Bus or MeteringKinds.Other))
            {
                errors.Add(ValidationPath.Child(path, "kind"), "must be http, bus or other");
            }

            errors.Identifier(row.Source, ValidationPath.Child(path, "source"), MaxNameLength);
            errors.Identifier(row.Operation, ValidationPath.Child(path, "operation"), MaxNameLength);
            errors.Identifier(row.Tenant, ValidationPath.Child(path, "tenant"), MaxNameLength);
            errors.Range(row.StatusClass, 0, 7, ValidationPath.Child(path, "status_class"));
            if (row.Count < 0 || row.RequestBytes < 0 || row.ResponseBytes < 0 || row.DurationUs < 0)
            {
                errors.Add(path, "count, request_bytes, response_bytes and duration_us must not be negative");
            }
        }
    }
}
