// File storage for pictures: a local folder by default, an S3-compatible bucket at scale.

export interface StoredObject {
  body: Buffer;
  contentType: string;
}

export interface Storage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** undefined when there is no such object */
  get(key: string): Promise<StoredObject | undefined>;
  /** deleting a missing object is not an error */
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
}
