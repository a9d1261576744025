// SPDX-License-Identifier: Apache-2.0
#include "crypto/WireCodec.h"

#include <vector>

namespace cinder::crypto {

bool hasUnknownFields(const google::protobuf::Message& message) {
    const google::protobuf::Reflection* reflection = message.GetReflection();
    if (!reflection->GetUnknownFields(message).empty()) {
        return true;
    }
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    reflection->ListFields(message, &fields);
    for (const google::protobuf::FieldDescriptor* field : fields) {
        if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
            continue;
        }
        if (field->is_repeated()) {
            const int count = reflection->FieldSize(message, field);
            for (int i = 0; i < count; ++i) {
                if (hasUnknownFields(reflection->GetRepeatedMessage(message, field, i))) {
                    return true;
                }
            }
        } else if (hasUnknownFields(reflection->GetMessage(message, field))) {
            return true;
        }
    }
    return false;
}

std::string_view describe(WireError error) {
    switch (error) {
    case WireError::Empty:
        return "no data";
    case WireError::Oversized:
        return "object is larger than allowed";
    case WireError::Malformed:
        return "object is malformed";
    case WireError::NonCanonical:
        return "object is not canonically encoded";
    }
    return "unknown error";
}

} // namespace cinder::crypto
