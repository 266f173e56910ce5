using CniSharp.Logging;
using CniSharp.Tests.Host;

namespace CniSharp.Tests.Logging;

[Collection(LogCollection.Name)]
public class AppendFileSinkTests
{
    [Fact]
    public void ConcurrentWritersOnSeparateDescriptors_NeverOverwriteEachOther()
    {
        // Each sink has its own descriptor, as separate plugin processes would.
        string dir = Path.Combine(Path.GetTempPath(), "cnisharp-append-" + Guid.NewGuid().ToString("N"));
        string file = Path.Combine(dir, "shared.log");
        const int writers = 8, lines = 200;
        Parallel.For(0, writers, w =>
        {
            using SerilogFileSink sink = SerilogFileSink.Open(file, LogLevel.Debug);
            for (int i = 0; i < lines; i++) sink.Write(LogLevel.Information, $"writer {w} line {i} " + new string('x', 100));
        });

        string[] written = File.ReadAllLines(file);
        Assert.Equal(writers * lines, written.Length);
        Assert.All(written, line => Assert.EndsWith(new string('x', 100), line));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void UnopenablePath_Throws()
    {
        Assert.ThrowsAny<Exception>(() => SerilogFileSink.Open("/proc/cnisharp-cannot-exist/x.log", LogLevel.Information));
    }
}
