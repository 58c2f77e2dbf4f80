namespace Cema.Models.Adaptation;

/// <summary>How <see cref="NormParams"/> travel on the wire.</summary>
public enum NormParamsEncoding : byte
{
    /// <summary>Every float as float32: exact.</summary>
    Fp32 = 0,

    /// <summary>Every float as float16: half the bytes, within fp16 precision.</summary>
    Fp16 = 1,

    /// <summary>
    /// Against a base version the receiver holds: a bitmask of the entries whose fp16 value changed,
    /// then those entries' fp16 values. Decodes to exactly what <see cref="Fp16"/> would.
    /// </summary>
    Fp16Delta = 2,
}
