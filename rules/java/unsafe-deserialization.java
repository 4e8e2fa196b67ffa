package com.acme.orders.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator;
import java.beans.XMLDecoder;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

public class OrderMessageDecoder {

    public Order fromQueue(byte[] body) throws Exception {
        // ruleid: unsafe-deserialization
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(body))) {
            return (Order) in.readObject();
        }
    }

    public Object legacyImport(InputStream upload) {
        // ruleid: unsafe-deserialization
        try (XMLDecoder decoder = new XMLDecoder(upload)) {
            return decoder.readObject();
        }
    }

    public Map<String, Object> promotionRules(InputStream requestBody) {
        // ruleid: unsafe-deserialization
        Yaml yaml = new Yaml();
        return yaml.load(requestBody);
    }

    public ObjectMapper polymorphicMapper() {
        ObjectMapper mapper = new ObjectMapper();
        // ruleid: unsafe-deserialization
        mapper.enableDefaultTyping();
        return mapper;
    }

    public ObjectMapper eventMapper() {
        ObjectMapper mapper = new ObjectMapper();
        // ruleid: unsafe-deserialization
        mapper.activateDefaultTyping(LaissezFaireSubTypeValidator.instance, ObjectMapper.DefaultTyping.NON_FINAL);
        return mapper;
    }

    // --- the correct shapes ---

    public Order fromSnapshot(String snapshotPath) throws Exception {
        // Our own snapshot file on local disk.
        // ok: unsafe-deserialization
        try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(snapshotPath))) {
            return (Order) in.readObject();
        }
    }

    public Order deepCopy(Order order) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(order);
        }
        // ok: unsafe-deserialization
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Order) in.readObject();
        }
    }

    public Map<String, Object> promotionRulesSafe(InputStream requestBody) {
        // ok: unsafe-deserialization
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        return yaml.load(requestBody);
    }

    public ObjectMapper eventMapperRestricted() {
        ObjectMapper mapper = new ObjectMapper();
        // ok: unsafe-deserialization
        mapper.activateDefaultTyping(
                BasicPolymorphicTypeValidator.builder().allowIfSubType("com.acme.orders.events.").build(),
                ObjectMapper.DefaultTyping.NON_FINAL);
        return mapper;
    }

    public Order fromJson(ObjectMapper mapper, byte[] body) throws Exception {
        // ok: unsafe-deserialization
        return mapper.readValue(body, Order.class);
    }
}
