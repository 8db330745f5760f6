using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>A client's text request (ClientControlRequest).</summary>
public abstract record ClientControlRequest
{
    public sealed record Authenticate(string Address, string EncAddress, string Iv) : ClientControlRequest;

    /// <summary>RegisterHandshakeInitRequest, also accepted under its alias "handshakePayload".</summary>
    public sealed record RegisterHandshakeInit(byte[] Data) : ClientControlRequest;
}

/// <summary>A text frame of the registration handshake (RegistrationHandshake).</summary>
public abstract record HandshakeMessage
{
    public sealed record Payload(byte[] Data) : HandshakeMessage;

    public sealed record Error(string Message) : HandshakeMessage;
}

/// <summary>The gateway's text responses (ServerResponse).</summary>
public abstract record ServerResponse
{
    public sealed record Authenticate(bool Status) : ServerResponse;

    public sealed record Register(bool Status) : ServerResponse;

    public sealed record Send(bool Status) : ServerResponse;

    public sealed record Error(string Message) : ServerResponse;
}

/// <summary>
/// The JSON of gateway-requests, byte for byte as serde_json writes it: internally tagged by
/// "type", camelCase variant names, field names as declared, byte vectors as number arrays.
/// Parsing accepts what serde accepts (any field order, unknown fields ignored).
/// </summary>
public static class GatewayJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(ServerResponse response) => Write(w =>
    {
        switch (response)
        {
            case ServerResponse.Authenticate a:
                w.WriteString("type", "authenticate");
                w.WriteBoolean("status", a.Status);
                break;
            case ServerResponse.Register r:
                w.WriteString("type", "register");
                w.WriteBoolean("status", r.Status);
                break;
            case ServerResponse.Send s:
                w.WriteString("type", "send");
                w.WriteBoolean("status", s.Status);
                break;
            case ServerResponse.Error e:
                w.WriteString("type", "error");
                w.WriteString("message", e.Message);
                break;
        }
    });

    public static string Serialize(HandshakeMessage message) => Write(w =>
    {
        switch (message)
        {
            case HandshakeMessage.Payload p:
                w.WriteString("type", "handshakePayload");
                WriteBytes(w, "data", p.Data);
                break;
            case HandshakeMessage.Error e:
                w.WriteString("type", "handshakeError");
                w.WriteString("message", e.Message);
                break;
        }
    });

    public static string Serialize(ClientControlRequest request) => Write(w =>
    {
        switch (request)
        {
            case ClientControlRequest.Authenticate a:
                w.WriteString("type", "authenticate");
                w.WriteString("address", a.Address);
                w.WriteString("enc_address", a.EncAddress);
                w.WriteString("iv", a.Iv);
                break;
            case ClientControlRequest.RegisterHandshakeInit r:
                w.WriteString("type", "registerHandshakeInitRequest");
                WriteBytes(w, "data", r.Data);
                break;
        }
    });

    public static bool TryParseClientControlRequest(string text, out ClientControlRequest request)
    {
        request = null!;
        return TryParseObject(text, out var root) && TryReadClientControlRequest(root, out request);
    }

    public static bool TryParseHandshakeMessage(string text, out HandshakeMessage message)
    {
        message = null!;
        if (!TryParseObject(text, out var root) || !TryType(root, out var type))
        {
            return false;
        }
        switch (type)
        {
            case "handshakePayload" when TryBytes(root, "data", out var data):
                message = new HandshakeMessage.Payload(data);
                return true;
            case "handshakeError" when TryString(root, "message", out var error):
                message = new HandshakeMessage.Error(error);
                return true;
            default:
                return false;
        }
    }

    public static bool TryParseServerResponse(string text, out ServerResponse response)
    {
        response = null!;
        if (!TryParseObject(text, out var root) || !TryType(root, out var type))
        {
            return false;
        }
        bool status = false;
        string message = "";
        bool ok = type switch
        {
            "authenticate" or "register" or "send" => TryBool(root, "status", out status),
            "error" => TryString(root, "message", out message),
            _ => false,
        };
        if (!ok)
        {
            return false;
        }
        response = type switch
        {
            "authenticate" => new ServerResponse.Authenticate(status),
            "register" => new ServerResponse.Register(status),
            "send" => new ServerResponse.Send(status),
            _ => new ServerResponse.Error(message),
        };
        return true;
    }

    private static bool TryReadClientControlRequest(JsonElement root, out ClientControlRequest request)
    {
        request = null!;
        if (!TryType(root, out var type))
        {
            return false;
        }
        switch (type)
        {
            case "authenticate":
                if (TryString(root, "address", out var address) && TryString(root, "enc_address", out var enc) && TryString(root, "iv", out var iv))
                {
                    request = new ClientControlRequest.Authenticate(address, enc, iv);
                    return true;
                }
                return false;
            case "registerHandshakeInitRequest" or "handshakePayload":
                if (TryBytes(root, "data", out var data))
                {
                    request = new ClientControlRequest.RegisterHandshakeInit(data);
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteBytes(Utf8JsonWriter writer, string name, byte[] data)
    {
        writer.WriteStartArray(name);
        foreach (var b in data)
        {
            writer.WriteNumberValue(b);
        }
        writer.WriteEndArray();
    }

    private static bool TryParseObject(string text, out JsonElement root)
    {
        root = default;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryType(JsonElement root, out string type) => TryString(root, "type", out type);

    private static bool TryString(JsonElement root, string name, out string value)
    {
        value = "";
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        value = element.GetString()!;
        return true;
    }

    private static bool TryBool(JsonElement root, string name, out bool value)
    {
        value = false;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return false;
        }
        value = element.GetBoolean();
        return true;
    }

    private static bool TryBytes(JsonElement root, string name, out byte[] value)
    {
        value = [];
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        var bytes = new byte[element.GetArrayLength()];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetByte(out bytes[i++]))
            {
                return false;
            }
        }
        value = bytes;
        return true;
    }
}
