namespace CniSharp.Cni;

/// <summary>
/// A failure that already knows its CNI error code. The host writes it as the error JSON unchanged;
/// any other exception becomes code 999 (libcni's ErrInternal).
/// </summary>
internal sealed class CniException : Exception
{
    public CniException(CniErrorCode code, string message, string? details = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Details = details;
    }

    public CniErrorCode Code { get; }

    public string? Details { get; }

    public static CniException InvalidConfig(string message, Exception? inner = null) =>
        new(CniErrorCode.InvalidNetworkConfig, message, inner?.Message, inner);
}
