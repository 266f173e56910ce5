using System.Runtime.CompilerServices;

// Every native signature is blittable or a SafeHandle; the source generators do the marshalling.
[assembly: DisableRuntimeMarshalling]
