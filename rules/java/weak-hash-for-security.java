package com.acme.orders.auth;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

public class Credentials {

    public String hashPassword(String password) {
        // ruleid: weak-hash-for-security
        return DigestUtils.md5Hex(password);
    }

    public String encode(CharSequence rawPassword) throws NoSuchAlgorithmException {
        // ruleid: weak-hash-for-security
        MessageDigest md = MessageDigest.getInstance("MD5");
        return Hex.encodeHexString(md.digest(rawPassword.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public String resetLink(long userId, String secret) {
        // ruleid: weak-hash-for-security
        String digest = Hashing.sha1().hashString(userId + ":" + secret, StandardCharsets.UTF_8).toString();
        return "/reset/" + userId + "/" + digest;
    }

    public byte[] signatureOf(byte[] body) throws NoSuchAlgorithmException {
        // ruleid: weak-hash-for-security
        MessageDigest sha = MessageDigest.getInstance("SHA-1");
        return sha.digest(body);
    }

    public String etag(byte[] body) {
        // ok: weak-hash-for-security
        return "\"" + DigestUtils.md5Hex(body) + "\"";
    }

    public String checksum(byte[] content) throws NoSuchAlgorithmException {
        // ok: weak-hash-for-security
        MessageDigest md = MessageDigest.getInstance("MD5");
        return Hex.encodeHexString(md.digest(content));
    }

    public String hashPasswordProperly(String password) throws NoSuchAlgorithmException {
        // ok: weak-hash-for-security
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return Hex.encodeHexString(md.digest(password.getBytes(StandardCharsets.UTF_8)));
    }

    public String signWebhook(byte[] secret, byte[] payload) throws Exception {
        // ok: weak-hash-for-security
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return Hex.encodeHexString(mac.doFinal(payload));
    }
}
