// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Messages written to a connection and awaiting their ack, found by message id without allocating:
/// a dictionary from the id's hash to a chain of messages (collisions compare the bytes). Thread-safe.
/// </summary>
internal sealed class InflightTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, RoutedMessage> _heads = new(256);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public static int HashId(ReadOnlySpan<byte> id)
    {
        var hash = default(HashCode);
        hash.AddBytes(id);
        return hash.ToHashCode();
    }

    public void Add(RoutedMessage message)
    {
        message.IdHash = HashId(message.MessageId);
        lock (_lock)
        {
            if (_heads.TryGetValue(message.IdHash, out var head))
            {
                message.ChainNext = head;
            }

            _heads[message.IdHash] = message;
            _count++;
        }
    }

    /// <summary>Removes and returns the oldest-added message with this id (null when unknown).</summary>
    public RoutedMessage? Remove(ReadOnlySpan<byte> id)
    {
        var hash = HashId(id);
        lock (_lock)
        {
            if (!_heads.TryGetValue(hash, out var current))
            {
                return null;
            }

            RoutedMessage? previous = null;
            RoutedMessage? found = null;
            RoutedMessage? foundPrevious = null;
            while (current is not null)
            {
                if (current.MessageId.SequenceEqual(id))
                {
                    found = current;
                    foundPrevious = previous;
                }

                previous = current;
                current = current.ChainNext;
            }

            if (found is null)
            {
                return null;
            }

            if (foundPrevious is null)
            {
                if (found.ChainNext is null)
                {
                    _heads.Remove(hash);
                }
                else
                {
                    _heads[hash] = found.ChainNext;
                }
            }
            else
            {
                foundPrevious.ChainNext = found.ChainNext;
            }

            found.ChainNext = null;
            _count--;
            return found;
        }
    }

    /// <summary>Removes everything (connection closed).</summary>
    public void Drain(List<RoutedMessage> into)
    {
        lock (_lock)
        {
            foreach (var head in _heads.Values)
            {
                var current = head;
                while (current is not null)
                {
                    var next = current.ChainNext;
                    current.ChainNext = null;
                    into.Add(current);
                    current = next;
                }
            }

            _heads.Clear();
            _count = 0;
        }
    }
}
