export { ERASED_NAME, erasedAddress } from "#app/lib/named-text.ts";
