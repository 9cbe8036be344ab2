// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Bus;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class InflightTableTests
{
    private readonly BusMessagePool _pool = new();

    [Fact]
    public void Remove_ById_FindsEachMessageOnce()
    {
        var table = new InflightTable();
        var messages = Enumerable.Range(0, 500).Select(i => Message("m-" + i)).ToArray();
        foreach (var m in messages)
        {
            table.Add(m);
        }

        for (var i = 499; i >= 0; i--)
        {
            Assert.Same(messages[i], table.Remove(Encoding.UTF8.GetBytes("m-" + i)));
        }

        Assert.Null(table.Remove("m-1"u8));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Remove_DuplicateIds_ReturnsOldestFirst()
    {
        var table = new InflightTable();
        var first = Message("dup");
        var second = Message("dup");
        table.Add(first);
        table.Add(second);

        Assert.Same(first, table.Remove("dup"u8));
        Assert.Same(second, table.Remove("dup"u8));
    }

    private RoutedMessage Message(string id)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(writer, BusFrameType.Send, new BusMessageEnvelope(id, "a", "b", "t", AcgsConstants.ConstitutionalHash), default);
        var message = _pool.Rent();
        message.Load(writer.WrittenSpan, _pool.Buffers);
        BusFrameParser.ParseMessage(message.Body, out var view);
        message.Ranges = view.Ranges;
        return message;
    }
}
