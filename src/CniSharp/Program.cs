namespace CniSharp;

internal static class Program
{
    private static int Main(string[] args) => CniHost.FromProcess(args).Run();
}
