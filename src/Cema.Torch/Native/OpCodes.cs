namespace Cema.Torch.Native;

// Mirrors the enums of native/include/cema_torch.h; the order is the ABI.
internal enum UnaryOp
{
    Neg, Exp, Log, Sqrt, Abs, Sigmoid, Tanh, Relu, Sign, Rsqrt, Square, LogicalNot, Floor, Ceil, Round, IsNan, Cos, Sin,
}

internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Eq, Ne, Lt, Le, Gt, Ge, Maximum, Minimum, LogicalAnd, LogicalOr, Remainder, FloorDivide,
}

internal enum ReduceOp
{
    Sum, Mean, Amax, Amin, Prod, All, Any, Var, Std,
}
