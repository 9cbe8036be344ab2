// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;

namespace Acgs.Testing;

/// <summary>
/// A minimal protobuf reader for OTLP's ExportTraceServiceRequest: resource_spans(1) → resource(1).attributes(1),
/// scope_spans(2) → spans(2) → trace_id(1), span_id(2), trace_state(3), parent_span_id(4), name(5), kind(6),
/// attributes(9) (KeyValue: key(1), value(2) → AnyValue: string(1), bool(2), int(3), double(4)), events(11) → name(2),
/// attributes(3). Other fields are skipped.
/// </summary>
public static class OtlpTraceDecoder
{
    public static List<ReceivedSpan> Decode(ReadOnlySpan<byte> request)
    {
        var spans = new List<ReceivedSpan>();
        var reader = new Reader(request);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                ResourceSpans(reader.Bytes(), spans);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return spans;
    }

    private static void ResourceSpans(ReadOnlySpan<byte> data, List<ReceivedSpan> spans)
    {
        var service = string.Empty;
        var scopes = new List<byte[]>();
        var reader = new Reader(data);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                var resource = new Reader(reader.Bytes());
                while (resource.Next(out var f, out var w))
                {
                    if (f == 1 && w == 2)
                    {
                        var (key, value) = KeyValue(resource.Bytes());
                        service = key == "service.name" ? value : service;
                    }
                    else
                    {
                        resource.Skip(w);
                    }
                }
            }
            else if (field == 2 && wire == 2)
            {
                scopes.Add(reader.Bytes().ToArray());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        foreach (var scope in scopes)
        {
            var scopeReader = new Reader(scope);
            while (scopeReader.Next(out var field, out var wire))
            {
                if (field == 2 && wire == 2)
                {
                    spans.Add(Span(service, scopeReader.Bytes()));
                }
                else
                {
                    scopeReader.Skip(wire);
                }
            }
        }
    }

    private static ReceivedSpan Span(string service, ReadOnlySpan<byte> data)
    {
        string traceId = string.Empty, spanId = string.Empty, parent = string.Empty, state = string.Empty, name = string.Empty;
        var kind = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var events = new List<ReceivedSpanEvent>();
        var reader = new Reader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (2, 2): spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (3, 2): state = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (4, 2): parent = Convert.ToHexStringLower(reader.Bytes()); break;
                case (5, 2): name = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (6, 0): kind = (int)reader.Varint(); break;
                case (9, 2):
                    var (key, value) = KeyValue(reader.Bytes());
                    attributes[key] = value;
                    break;
                case (11, 2): events.Add(Event(reader.Bytes())); break;
                default: reader.Skip(wire); break;
            }
        }

        return new ReceivedSpan(service, traceId, spanId, parent, state, name, kind, attributes) { Events = events };
    }

    private static ReceivedSpanEvent Event(ReadOnlySpan<byte> data)
    {
        var name = string.Empty;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Reader(data);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 2 && wire == 2)
            {
                name = Encoding.UTF8.GetString(reader.Bytes());
            }
            else if (field == 3 && wire == 2)
            {
                var (key, value) = KeyValue(reader.Bytes());
                attributes[key] = value;
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return new ReceivedSpanEvent(name, attributes);
    }

    private static (string Key, string Value) KeyValue(ReadOnlySpan<byte> data)
    {
        string key = string.Empty, value = string.Empty;
        var reader = new Reader(data);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                key = Encoding.UTF8.GetString(reader.Bytes());
            }
            else if (field == 2 && wire == 2)
            {
                value = AnyValue(reader.Bytes());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (key, value);
    }

    private static string AnyValue(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): return Encoding.UTF8.GetString(reader.Bytes());
                case (2, 0): return reader.Varint() != 0 ? "true" : "false";
                case (3, 0): return ((long)reader.Varint()).ToString(CultureInfo.InvariantCulture);
                case (4, 1): return BitConverter.Int64BitsToDouble((long)reader.Fixed64()).ToString(CultureInfo.InvariantCulture);
                default: reader.Skip(wire); break;
            }
        }

        return string.Empty;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= _data.Length)
            {
                field = wire = 0;
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public ulong Fixed64()
        {
            var value = BitConverter.ToUInt64(_data.Slice(_position, 8));
            _position += 8;
            return value;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = (int)Varint();
            var bytes = _data.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: _ = Varint(); break;
                case 1: _position += 8; break;
                case 2: _ = Bytes(); break;
                case 5: _position += 4; break;
                default: throw new InvalidDataException("unsupported protobuf wire type " + wire);
            }
        }
    }
}
