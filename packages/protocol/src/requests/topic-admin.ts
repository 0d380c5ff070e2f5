/**
 * Topic administration headers: UPDATE_AND_CREATE_TOPIC (17) and DELETE_TOPIC_IN_BROKER (215) (Java
 * `CreateTopicRequestHeader`, `DeleteTopicRequestHeader`); neither response has a header. DELETE_TOPIC_IN_NAMESRV
 * (216) is in `namesrv.ts`.
 *
 * | header        | key             | type    | required |
 * |---------------|-----------------|---------|----------|
 * | create (17)   | topic           | String  | yes      |
 * |               | defaultTopic    | String  | yes      |
 * |               | readQueueNums   | int     | yes      |
 * |               | writeQueueNums  | int     | yes      |
 * |               | perm            | int     | yes      |
 * |               | topicFilterType | String  | yes      |
 * |               | topicSysFlag    | Integer | no       |
 * |               | order           | Boolean | yes      |
 * |               | attributes      | String  | no (5.x) |
 * |               | force           | Boolean | no (5.x) |
 * | delete (215)  | topic           | String  | yes      |
 */
import type { ExtFields } from '../ext-fields.js';
import {
  defineHeaderCodec,
  optionalBoolean,
  optionalInt,
  optionalString,
  requiredBoolean,
  requiredInt,
  requiredString,
} from './header-codec.js';

/** Header of UPDATE_AND_CREATE_TOPIC (17). */
export interface CreateTopicRequestHeader {
  topic: string;
  /** Template topic (mqadmin sends `TBW102`). */
  defaultTopic: string;
  readQueueNums: number;
  writeQueueNums: number;
  /** Permission bits: 2 = write, 4 = read, 1 = inherit. */
  perm: number;
  /** `SINGLE_TAG` or `MULTI_TAG` (Java `TopicFilterType` names, carried as a string). */
  topicFilterType: string;
  topicSysFlag?: number;
  /** Ordered topic (Java default false, always sent by Java). */
  order: boolean;
  /** 5.x: `+key=value,…` attribute changes. */
  attributes?: string;
  /** 5.x only; absent means false. */
  force?: boolean;
}

/** Header of DELETE_TOPIC_IN_BROKER (215). */
export interface DeleteTopicRequestHeader {
  topic: string;
}

const createCodec = defineHeaderCodec<CreateTopicRequestHeader>({
  topic: requiredString(),
  defaultTopic: requiredString(),
  readQueueNums: requiredInt(),
  writeQueueNums: requiredInt(),
  perm: requiredInt(),
  topicFilterType: requiredString(),
  topicSysFlag: optionalInt(),
  order: requiredBoolean(),
  attributes: optionalString(),
  force: optionalBoolean(),
});

const deleteCodec = defineHeaderCodec<DeleteTopicRequestHeader>({ topic: requiredString() });

/** Encodes an UPDATE_AND_CREATE_TOPIC request header. Throws HeaderFieldError on a missing or bad field. */
export function encodeCreateTopicRequestHeader(h: CreateTopicRequestHeader): ExtFields {
  return createCodec.encode(h);
}
/** Decodes an UPDATE_AND_CREATE_TOPIC request header. Throws HeaderFieldError on a missing or bad key. */
export function decodeCreateTopicRequestHeader(ext: ExtFields): CreateTopicRequestHeader {
  return createCodec.decode(ext);
}
/** Encodes a DELETE_TOPIC_IN_BROKER request header. Throws HeaderFieldError when `topic` is missing. */
export function encodeDeleteTopicRequestHeader(h: DeleteTopicRequestHeader): ExtFields {
  return deleteCodec.encode(h);
}
/** Decodes a DELETE_TOPIC_IN_BROKER request header. Throws HeaderFieldError when `topic` is missing. */
export function decodeDeleteTopicRequestHeader(ext: ExtFields): DeleteTopicRequestHeader {
  return deleteCodec.decode(ext);
}
