namespace Cema.Models.Adaptation;

/// <summary>Encoded <see cref="NormParams"/> that cannot be decoded; <see cref="Field"/> names the part at fault.</summary>
public sealed class NormParamsFormatException : FormatException
{
    public NormParamsFormatException(string field, string message) : base($"norm params {field}: {message}") => Field = field;

    public string Field { get; }
}
