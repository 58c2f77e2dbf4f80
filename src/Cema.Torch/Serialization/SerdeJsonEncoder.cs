using System.Text;
using System.Text.Encodings.Web;

namespace Cema.Torch.Serialization;

/// <summary>
/// Escapes JSON strings exactly as serde_json does, since serde_json writes the reference header and
/// byte-identical files need identical escapes: only '"', '\\' and control characters below U+0020 are
/// escaped (\b \t \n \f \r where JSON has a short form, else lower-case \u00xx); every other character,
/// non-ASCII included, stays raw UTF-8. The stock encoders escape far more ('+', '&lt;', non-ASCII, ...).
/// </summary>
internal sealed class SerdeJsonEncoder : JavaScriptEncoder
{
    internal static readonly SerdeJsonEncoder Instance = new();

    private SerdeJsonEncoder() { }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 0x20 || unicodeScalar is '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (int i = 0; i < textLength; i++)
            if (WillEncode(text[i])) return i;
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        string text = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\f' => "\\f",
            '\r' => "\\r",
            < 0x20 => $"\\u{unicodeScalar:x4}",
            _ => new Rune(unicodeScalar).ToString(),
        };
        if (text.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        text.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = text.Length;
        return true;
    }
}
