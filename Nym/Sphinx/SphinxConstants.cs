namespace NymGateway.Nym.Sphinx;

/// <summary>Sizes of the Sphinx packet format as nymtech/sphinx@283dcc7 defines them.</summary>
public static class SphinxConstants
{
    public const int SecurityParameter = 16;
    public const int MaxPathLength = 5;
    public const int NodeAddressLength = 32;
    public const int DestinationAddressLength = 32;
    public const int IdentifierLength = 16;
    public const int DelayLength = 8;
    public const int FlagLength = 1;
    public const int VersionLength = 3;
    public const int MacSize = 16;
    public const int GroupElementSize = 32;
    public const int StreamCipherKeySize = 16;
    public const int MacKeySize = 16;
    public const int PayloadKeySize = 192;
    public const int BlindingFactorSize = 32;
    public const int RoutingKeysLength = StreamCipherKeySize + MacKeySize + PayloadKeySize + BlindingFactorSize;

    /// <summary>The replay tag (h_tau of the Sphinx paper), 2k bytes as in later sphinx crates.</summary>
    public const int ReplayTagSize = 2 * SecurityParameter;

    /// <summary>What a processing node expands one shared secret into: the routing keys, then the replay tag.</summary>
    public const int ExpandedSecretLength = RoutingKeysLength + ReplayTagSize;

    /// <summary>flag || version || next address || delay.</summary>
    public const int NodeMetaInfoSize = NodeAddressLength + FlagLength + DelayLength + VersionLength;

    /// <summary>flag || version || destination || identifier.</summary>
    public const int FinalNodeMetaInfoLength = DestinationAddressLength + IdentifierLength + FlagLength + VersionLength;

    /// <summary>How much each hop adds to the routing information (and to the filler).</summary>
    public const int HopStep = NodeMetaInfoSize + MacSize;
    public const int EncryptedRoutingInfoSize = HopStep * MaxPathLength;
    public const int TruncatedRoutingInfoSize = EncryptedRoutingInfoSize - HopStep;
    public const int StreamCipherOutputLength = HopStep * (MaxPathLength + 1);
    public const int HeaderSize = GroupElementSize + MacSize + EncryptedRoutingInfoSize;

    /// <summary>16 leading zero bytes and the one 0x01 byte that marks where padding starts.</summary>
    public const int PayloadOverheadSize = SecurityParameter + 1;

    /// <summary>Lioness needs a block longer than its 32-byte half.</summary>
    public const int MinimumPayloadSize = 33;

    public const byte ForwardHopFlag = 1;
    public const byte FinalHopFlag = 2;

    /// <summary>The crate's own version (0.1.0), written into every routing layer.</summary>
    public static ReadOnlySpan<byte> Version => [0, 1, 0];

    /// <summary>The HKDF info string the crate expands every shared secret with.</summary>
    public static ReadOnlySpan<byte> HkdfInputSeed =>
        "Dwste mou enan moxlo arketa makru kai ena upomoxlio gia na ton topothetisw kai tha kinisw thn gh."u8;
}
