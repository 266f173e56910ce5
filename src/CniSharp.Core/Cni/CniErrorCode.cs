namespace CniSharp.Cni;

/// <summary>Error codes of the CNI spec (1–7, 11, 50, 51) and libcni's conventions (8, 999).</summary>
internal enum CniErrorCode
{
    IncompatibleVersion = 1,
    UnsupportedField = 2,
    UnknownContainer = 3,
    InvalidEnvironmentVariables = 4,
    IOFailure = 5,
    DecodingFailure = 6,
    InvalidNetworkConfig = 7,
    InvalidNetNs = 8,
    TryAgainLater = 11,
    NotAvailable = 50,
    LimitedConnectivity = 51,
    Internal = 999,
}
