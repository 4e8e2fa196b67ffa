using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Orders.Auth;

public static class Credentials
{
    public static string HashPassword(string password) =>
        // ruleid: weak-hash-for-security
        Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(password)));

    public static bool Verify(string user, string password, string stored)
    {
        // ruleid: weak-hash-for-security
        using var sha = SHA1.Create();
        var hash = Convert.ToHexString(sha.ComputeHash(Encoding.UTF8.GetBytes(user + password)));
        return hash == stored;
    }

    public static string ResetLink(long userId, string secret)
    {
        // ruleid: weak-hash-for-security
        var digest = SHA1.HashData(Encoding.UTF8.GetBytes($"{userId}:{secret}"));
        return $"/reset/{userId}/{Convert.ToHexString(digest)}";
    }

    public static byte[] SignatureOf(byte[] body)
    {
        // ruleid: weak-hash-for-security
        using var md5 = new MD5CryptoServiceProvider();
        return md5.ComputeHash(body);
    }

    public static string ETag(byte[] body) =>
        // ok: weak-hash-for-security
        "\"" + Convert.ToHexString(MD5.HashData(body)) + "\"";

    public static string Checksum(Stream content)
    {
        // ok: weak-hash-for-security
        using var md5 = MD5.Create();
        return Convert.ToHexString(md5.ComputeHash(content));
    }

    public static async Task<bool> VerifyPackageAsync(Stream stream, string checksum, CancellationToken cancellationToken)
    {
        // A download checksum; the token is a CancellationToken.
        // ok: weak-hash-for-security
        var hash = Convert.ToHexString(await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        return string.Equals(hash, checksum, StringComparison.OrdinalIgnoreCase);
    }

    public static string SignWebhook(byte[] secret, byte[] payload)
    {
        // ok: weak-hash-for-security
        using var hmac = new HMACSHA256(secret);
        return Convert.ToHexString(hmac.ComputeHash(payload));
    }
}
