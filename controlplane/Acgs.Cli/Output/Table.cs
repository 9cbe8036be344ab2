// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Cli.Output;

/// <summary>A plain-text table: upper-case headers, columns padded to their widest cell, two spaces apart, no colours.</summary>
internal sealed class Table
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public Table(params string[] headers) => _headers = headers;

    public int Count => _rows.Count;

    public void Add(params string?[] cells)
    {
        var row = new string[_headers.Length];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = i < cells.Length && !string.IsNullOrEmpty(cells[i]) ? cells[i]! : "-";
        }

        _rows.Add(row);
    }

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var widths = new int[_headers.Length];
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = _headers[i].Length;
            foreach (var row in _rows)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        WriteRow(writer, _headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i == cells.Length - 1)
            {
                writer.WriteLine(cells[i]);
            }
            else
            {
                writer.Write(cells[i].PadRight(widths[i] + 2));
            }
        }
    }
}
